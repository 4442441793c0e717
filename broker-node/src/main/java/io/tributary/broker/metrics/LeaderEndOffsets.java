package io.tributary.broker.metrics;

import io.tributary.broker.replication.PeerConnection;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.model.BrokerRegistration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End offsets (high watermarks) of partitions this broker has no replica of, asked from their leaders with
 * ListOffsets(latest) every {@link #REFRESH_MS} ms on a thread of its own, the request {@code consumer-groups
 * --describe} makes. Only partitions a scrape asked for (groups this broker coordinates committed offsets of)
 * are refreshed, so a broker without such groups sends nothing. A scrape never waits on the network: it reads
 * what the last refresh found, at most one refresh period old.
 */
final class LeaderEndOffsets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderEndOffsets.class);
    static final long REFRESH_MS = 2_000;
    private static final short LIST_OFFSETS_VERSION = 5;

    private final int brokerId;
    private final TopicMetadataCache metadata;
    private final BrokerRegistry brokers;
    private final Map<TopicPartition, Long> endOffsets = new ConcurrentHashMap<>();
    private volatile Set<TopicPartition> wanted = Set.of();
    /** Opened and used by the refresh thread; {@link #close} closes them from another thread to unblock a read. */
    private final Map<Integer, PeerConnection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;

    LeaderEndOffsets(int brokerId, TopicMetadataCache metadata, BrokerRegistry brokers) {
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.brokers = brokers;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-" + brokerId + "-metrics-end-offsets");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::refresh, REFRESH_MS, REFRESH_MS, TimeUnit.MILLISECONDS);
    }

    /** The partitions the next refreshes should cover (the last scrape's); others are forgotten. */
    void want(Set<TopicPartition> partitions) {
        wanted = partitions;
        endOffsets.keySet().retainAll(partitions);
    }

    Optional<Long> endOffset(TopicPartition tp) {
        return Optional.ofNullable(endOffsets.get(tp));
    }

    private void refresh() {
        Set<TopicPartition> partitions = wanted;
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        Map<Integer, BrokerRegistration> live = brokers.liveBrokers();
        for (TopicPartition tp : partitions) {
            int leader = metadata.topic(tp.topic()).flatMap(t -> t.partition(tp.partition())).map(p -> p.leader()).orElse(-1);
            if (leader >= 0 && leader != brokerId && live.containsKey(leader)) {
                byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(tp);
            } else {
                // No live leader to ask (or this broker leads it now): an old answer would only pretend to be current.
                endOffsets.remove(tp);
            }
        }
        byLeader.forEach(this::ask);
    }

    private void ask(int leader, List<TopicPartition> partitions) {
        Map<String, ListOffsetsRequestData.ListOffsetsTopic> topics = new HashMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(tp.topic(), t -> new ListOffsetsRequestData.ListOffsetsTopic().setName(t)).partitions()
                    .add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(tp.partition())
                            .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP).setCurrentLeaderEpoch(-1));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0)
                .setTopics(new ArrayList<>(topics.values()));
        try {
            PeerConnection connection = connection(leader);
            if (connection == null) {
                return;
            }
            ListOffsetsResponse response = (ListOffsetsResponse) connection.send(request, LIST_OFFSETS_VERSION);
            for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : response.data().topics()) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    if (p.errorCode() == Errors.NONE.code() && wanted.contains(tp)) {
                        endOffsets.put(tp, p.offset());
                    } else {
                        // NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, ...: the old value is no longer the end.
                        endOffsets.remove(tp);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Broker {}: could not ask broker {} for the end offsets of {} (for consumer lag): {}", brokerId, leader,
                    partitions, e.toString());
            PeerConnection broken = connections.remove(leader);
            if (broken != null) {
                broken.close();
            }
        }
    }

    private PeerConnection connection(int leader) throws IOException {
        PeerConnection existing = connections.get(leader);
        if (existing != null) {
            return existing;
        }
        BrokerRegistration address = brokers.liveBrokers().get(leader);
        if (address == null) {
            return null;
        }
        PeerConnection created = new PeerConnection(address.host(), address.port(), "broker-" + brokerId + "-lag", 10_000);
        connections.put(leader, created);
        return created;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        // A refresh blocked reading a peer's answer is not interruptible: closing its socket is what ends it.
        closeConnections();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnections(); // one a refresh may have opened meanwhile
    }

    private void closeConnections() {
        for (Integer leader : connections.keySet()) {
            PeerConnection connection = connections.remove(leader);
            if (connection != null) {
                connection.close();
            }
        }
    }
}
