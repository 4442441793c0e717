package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.OutboundRequest;
import io.tributary.client.network.WakeupSignal;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fetches from partition leaders and buffers the decoded records until poll() hands them out. At most
 * one Fetch is in flight per broker, carrying every fetchable partition it leads. Responses arrive on
 * the I/O thread and are queued; the consumer thread decodes them, so deserializers and the position
 * bookkeeping only ever run on the consumer's thread. A response is dropped for a partition whose
 * position moved (seek) since the fetch was sent.
 */
final class Fetcher<K, V> {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    private record FetchResult(Node node, Map<TopicPartition, Long> offsets, ClientResponse response, TributaryException error) {
    }

    private static final class Buffered<K, V> {
        final long fetchOffset;
        final List<ConsumerRecord<K, V>> records;
        final long nextFetchOffset;
        int index;

        Buffered(long fetchOffset, List<ConsumerRecord<K, V>> records, long nextFetchOffset) {
            this.fetchOffset = fetchOffset;
            this.records = records;
            this.nextFetchOffset = nextFetchOffset;
        }
    }

    private final ConsumerConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final SubscriptionState subscriptions;
    private final RecordDecoder<K, V> decoder;
    private final WakeupSignal wakeup;
    private final ConcurrentLinkedQueue<FetchResult> completed = new ConcurrentLinkedQueue<>();
    private final Set<Integer> nodesInFlight = new HashSet<>();
    private final Map<Integer, Long> nodeBackoffUntil = new HashMap<>();
    private final Map<TopicPartition, Buffered<K, V>> buffered = new LinkedHashMap<>();

    Fetcher(ConsumerConfig config, ConnectionPool pool, MetadataCache metadata, SubscriptionState subscriptions,
            RecordDecoder<K, V> decoder, WakeupSignal wakeup) {
        this.config = config;
        this.pool = pool;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.decoder = decoder;
        this.wakeup = wakeup;
    }

    /** Sends a Fetch to each leader that has fetchable partitions and no fetch in flight. */
    void sendFetches(long nowMs) {
        ClusterSnapshot cluster = metadata.snapshot();
        Map<Node, Map<TopicPartition, Long>> byLeader = new LinkedHashMap<>();
        subscriptions.positions().forEach((tp, position) -> {
            if (buffered.containsKey(tp)) {
                return; // hand out what we have before fetching more
            }
            Optional<Node> leader = cluster.leaderFor(tp);
            if (leader.isEmpty()) {
                metadata.requestUpdate();
                return;
            }
            Node node = leader.get();
            if (nodesInFlight.contains(node.id()) || nodeBackoffUntil.getOrDefault(node.id(), 0L) > nowMs) {
                return;
            }
            byLeader.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(tp, position);
        });
        byLeader.forEach(this::send);
    }

    private void send(Node node, Map<TopicPartition, Long> offsets) {
        nodesInFlight.add(node.id());
        // The broker may hold the fetch for fetch.max.wait.ms before answering, so allow for it.
        long timeoutMs = (long) config.requestTimeoutMs() + config.fetchMaxWaitMs();
        OutboundRequest request = OutboundRequest.of(ApiKeys.FETCH, v -> FetchRequests.build(offsets, config.fetchMaxWaitMs(),
                config.fetchMinBytes(), config.fetchMaxBytes(), config.maxPartitionFetchBytes()), timeoutMs);
        pool.forNode(node).send(request).whenComplete((response, error) -> {
            completed.add(new FetchResult(node, offsets, response, error == null ? null : FutureWaits.asTributary(error)));
            wakeup.signal();
        });
    }

    /** Decodes every response that has arrived into the buffers; runs on the consumer thread. */
    void processCompleted(long nowMs) {
        FetchResult result;
        while ((result = completed.poll()) != null) {
            nodesInFlight.remove(result.node().id());
            if (result.error() != null) {
                log.debug("Fetch from broker {} failed: {}", result.node().id(), result.error().getMessage());
                nodeBackoffUntil.put(result.node().id(), nowMs + config.retryBackoffMs());
                metadata.requestUpdate();
                continue;
            }
            FetchResponseData data = result.response().body(FetchResponseData.class);
            Errors topLevel = Errors.forCode(data.errorCode());
            if (topLevel != Errors.NONE) {
                log.warn("Fetch from broker {} failed with {}", result.node().id(), topLevel);
                nodeBackoffUntil.put(result.node().id(), nowMs + config.retryBackoffMs());
                metadata.requestUpdate();
                continue;
            }
            for (FetchResponseData.FetchableTopicResponse topic : data.responses()) {
                for (FetchResponseData.PartitionData p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.topic(), p.partitionIndex());
                    Long requested = result.offsets().get(tp);
                    if (requested != null) {
                        handlePartition(result.node(), tp, requested, p);
                    }
                }
            }
        }
    }

    private void handlePartition(Node node, TopicPartition tp, long fetchOffset, FetchResponseData.PartitionData p) {
        if (!subscriptions.isAssigned(tp) || !Long.valueOf(fetchOffset).equals(subscriptions.position(tp))) {
            return; // unassigned or moved by seek() while the fetch was in flight
        }
        Errors error = Errors.forCode(p.errorCode());
        switch (error) {
            case NONE -> {
                RecordDecoder.Decoded<K, V> decoded = decoder.decode(tp, (MemoryRecords) p.records(), fetchOffset);
                if (!decoded.records().isEmpty()) {
                    buffered.put(tp, new Buffered<>(fetchOffset, decoded.records(), decoded.nextFetchOffset()));
                } else if (decoded.nextFetchOffset() > fetchOffset) {
                    subscriptions.seek(tp, decoded.nextFetchOffset()); // only control records or records before the position
                }
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (config.autoOffsetReset() == OffsetResetStrategy.NONE) {
                    throw new ApiException(error, "Fetch position " + fetchOffset + " is out of range for " + tp
                            + " and auto.offset.reset=none");
                }
                log.info("Fetch position {} is out of range for {}; resetting to {}", fetchOffset, tp, config.autoOffsetReset());
                subscriptions.requestReset(tp, config.autoOffsetReset());
            }
            default -> {
                ApiException e = new ApiException(error, "Fetch of " + tp + " at offset " + fetchOffset + " from broker "
                        + node.id() + " failed");
                if (!e.retriable()) {
                    throw e;
                }
                if (error.exception() instanceof InvalidMetadataException) {
                    log.debug("{}; refreshing metadata", e.getMessage());
                } else {
                    log.warn("{}; retrying", e.getMessage());
                }
                metadata.requestUpdate();
            }
        }
    }

    /** Hands out up to {@code max} buffered records and advances the positions past them. */
    List<ConsumerRecord<K, V>> drain(int max) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, Buffered<K, V>>> it = buffered.entrySet().iterator(); it.hasNext() && out.size() < max; ) {
            Map.Entry<TopicPartition, Buffered<K, V>> e = it.next();
            TopicPartition tp = e.getKey();
            Buffered<K, V> b = e.getValue();
            if (!subscriptions.isAssigned(tp) || subscriptions.position(tp) == null) {
                it.remove();
                continue;
            }
            long position = subscriptions.position(tp);
            while (b.index < b.records.size() && out.size() < max) {
                ConsumerRecord<K, V> r = b.records.get(b.index++);
                if (r.offset() < position) {
                    continue; // seek() moved forward inside this buffer
                }
                out.add(r);
                position = r.offset() + 1;
            }
            if (b.index >= b.records.size()) {
                position = Math.max(position, b.nextFetchOffset);
                it.remove();
            }
            subscriptions.seek(tp, position);
        }
        return out;
    }

    /** Drops buffered records of a partition (after seek or a change of assignment). */
    void clearBuffer(TopicPartition tp) {
        buffered.remove(tp);
    }

    void retainBuffers(Set<TopicPartition> assignment) {
        buffered.keySet().retainAll(assignment);
    }

    /** The earliest time a backed-off broker may be fetched from again, for the poll loop's sleep. */
    long nextBackoffExpiryMs(long nowMs) {
        return nodeBackoffUntil.values().stream().filter(t -> t > nowMs).min(Long::compare).orElse(Long.MAX_VALUE);
    }
}
