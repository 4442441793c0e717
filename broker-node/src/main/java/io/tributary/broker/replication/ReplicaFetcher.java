package io.tributary.broker.replication;

import io.tributary.broker.metrics.TopicTraffic;
import io.tributary.broker.replica.Partition;
import io.tributary.zk.model.BrokerRegistration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every partition this broker follows from one leader broker, over one connection (Kafka's
 * ReplicaFetcherThread): first, per partition and leader epoch, asks the leader where its own latest epoch ends
 * (OffsetsForLeaderEpoch) and truncates the local log there (KIP-101, KIP-279), then long-polls Fetch for all of
 * them with this broker's replica id and the current leader epoch, appending exactly the leader's batches.
 *
 * <p>One thread, blocking on its socket. A change of the partitions it serves closes the socket, so a long poll
 * in flight never delays a partition that was just added (a fail-over moving partitions here).
 */
final class ReplicaFetcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    static final short FETCH_VERSION = 12;
    static final short OFFSETS_FOR_LEADER_EPOCH_VERSION = 4;
    private static final long WRITE_TIMEOUT_MS = 30_000;
    private static final long EPOCH_RETRY_MS = 20;

    /** One partition followed from this leader, at one leader epoch. Mutable fields belong to the fetcher thread. */
    static final class Follower {
        final Partition partition;
        final int leaderEpoch;
        boolean truncated;
        long fetchOffset;
        long retryAtMs;

        Follower(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private final int brokerId;
    private final int leaderId;
    private final IntFunction<BrokerRegistration> addresses;
    private final FetcherSettings settings;
    private final TopicTraffic traffic;
    private final Map<TopicPartition, Follower> followers = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean wokenUp;
    private volatile boolean inLongPoll;
    private volatile PeerConnection connection;

    ReplicaFetcher(int brokerId, int leaderId, IntFunction<BrokerRegistration> addresses, FetcherSettings settings,
                   TopicTraffic traffic) {
        this.brokerId = brokerId;
        this.leaderId = leaderId;
        this.addresses = addresses;
        this.settings = settings;
        this.traffic = traffic;
        this.thread = new Thread(this, "broker-" + brokerId + "-replica-fetcher-" + leaderId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Follows {@code partition} from this leader at {@code leaderEpoch}; truncation runs first. */
    void add(Partition partition, int leaderEpoch) {
        Follower existing = followers.get(partition.topicPartition());
        if (existing != null && existing.leaderEpoch == leaderEpoch && existing.partition == partition) {
            return;
        }
        followers.put(partition.topicPartition(), new Follower(partition, leaderEpoch));
        wakeUp();
    }

    void remove(TopicPartition topicPartition) {
        followers.remove(topicPartition);
    }

    boolean isEmpty() {
        return followers.isEmpty();
    }

    void close() {
        closed = true;
        wakeUp();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeUp() {
        wokenUp = true;
        synchronized (changed) {
            changed.notifyAll();
        }
        PeerConnection current = connection;
        if (current != null && (inLongPoll || closed)) {
            current.close(); // abandons a long poll in flight; the loop reconnects at once
        }
    }

    @Override
    public void run() {
        while (!closed) {
            wokenUp = false;
            if (followers.isEmpty()) {
                idle(1_000);
                continue;
            }
            try {
                PeerConnection current = connect();
                if (current == null) {
                    idle(settings.backoffMs());
                    continue;
                }
                truncateWhereNeeded(current);
                fetchOnce(current);
            } catch (IOException e) {
                disconnect();
                if (!wokenUp && !closed) {
                    log.debug("Broker {}: fetching from broker {} failed: {}", brokerId, leaderId, e.toString());
                    idle(settings.backoffMs());
                }
            } catch (RuntimeException e) {
                disconnect();
                log.error("Broker {}: replica fetcher for leader {} failed; retrying", brokerId, leaderId, e);
                idle(settings.backoffMs());
            }
        }
        disconnect();
    }

    private PeerConnection connect() throws IOException {
        PeerConnection current = connection;
        if (current != null) {
            return current;
        }
        BrokerRegistration leader = addresses.apply(leaderId);
        if (leader == null) {
            return null; // not registered (yet or any more): the partition state will move us
        }
        current = new PeerConnection(leader.host(), leader.port(), "tributary-replica-" + brokerId,
                settings.maxWaitMs() + 30_000);
        connection = current;
        if (wokenUp) {
            // A change raced with the connect: start over with the current partitions on this fresh connection.
            wokenUp = false;
        }
        return current;
    }

    private void disconnect() {
        PeerConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    /** KIP-101/279: per partition at a new epoch, truncate to where this log and the leader's agree. */
    private void truncateWhereNeeded(PeerConnection current) throws IOException {
        long now = System.currentTimeMillis();
        Map<TopicPartition, Follower> pending = new LinkedHashMap<>();
        Map<TopicPartition, Integer> askedEpoch = new LinkedHashMap<>();
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(brokerId);
        for (Follower follower : followers.values()) {
            if (follower.truncated || follower.retryAtMs > now) {
                continue;
            }
            Partition partition = follower.partition;
            OptionalInt latest = partition.log().leaderEpochs().latestEpoch();
            if (latest.isEmpty()) {
                // No epoch history: an empty log starts where it is; otherwise fall back to the high watermark (KIP-101).
                writeAndWait(partition, () -> partition.truncateTo(partition.highWatermark()));
                startFetchingAt(follower, partition.logEndOffset());
                continue;
            }
            TopicPartition tp = partition.topicPartition();
            pending.put(tp, follower);
            askedEpoch.put(tp, latest.getAsInt());
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic = request.topics().find(tp.topic());
            if (topic == null) {
                topic = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(tp.topic());
                request.topics().add(topic);
            }
            topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                    .setPartition(tp.partition()).setCurrentLeaderEpoch(follower.leaderEpoch).setLeaderEpoch(latest.getAsInt()));
        }
        if (pending.isEmpty()) {
            return;
        }
        OffsetsForLeaderEpochResponse response = (OffsetsForLeaderEpochResponse) current.send(request, OFFSETS_FOR_LEADER_EPOCH_VERSION);
        for (OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic : response.data().topics()) {
            for (OffsetForLeaderEpochResponseData.EpochEndOffset answer : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), answer.partition());
                Follower follower = pending.get(tp);
                if (follower == null || followers.get(tp) != follower) {
                    continue;
                }
                Errors error = Errors.forCode(answer.errorCode());
                if (error != Errors.NONE) {
                    log.debug("Broker {}: leader {} answered OffsetsForLeaderEpoch for {} with {}", brokerId, leaderId, tp, error);
                    follower.retryAtMs = System.currentTimeMillis() + EPOCH_RETRY_MS;
                    continue;
                }
                Partition partition = follower.partition;
                long target = truncationOffset(partition, askedEpoch.get(tp), answer.leaderEpoch(), answer.endOffset());
                writeAndWait(partition, () -> partition.truncateTo(target));
                startFetchingAt(follower, partition.logEndOffset());
            }
        }
    }

    /**
     * Where to cut: the end of the leader's copy of our latest epoch; when the leader knows only an older epoch
     * (KIP-279), the smaller of its end and our own end of that epoch; with no answer, the high watermark.
     */
    private static long truncationOffset(Partition partition, int askedEpoch, int answeredEpoch, long leaderEnd) {
        if (leaderEnd < 0) {
            return partition.highWatermark();
        }
        if (answeredEpoch != askedEpoch) {
            long ourEnd = partition.log().endOffsetForEpoch(answeredEpoch).endOffset();
            return ourEnd < 0 ? Math.min(leaderEnd, partition.highWatermark()) : Math.min(leaderEnd, ourEnd);
        }
        return Math.min(leaderEnd, partition.logEndOffset());
    }

    private void startFetchingAt(Follower follower, long offset) {
        follower.truncated = true;
        follower.fetchOffset = offset;
        log.info("Broker {}: following {} from leader {} at epoch {}, fetching from offset {}", brokerId,
                follower.partition.topicPartition(), leaderId, follower.leaderEpoch, offset);
    }

    private void fetchOnce(PeerConnection current) throws IOException {
        long now = System.currentTimeMillis();
        Map<TopicPartition, Follower> fetching = new LinkedHashMap<>();
        FetchRequestData request = new FetchRequestData().setReplicaId(brokerId).setMaxWaitMs(settings.maxWaitMs())
                .setMinBytes(settings.minBytes()).setMaxBytes(settings.responseMaxBytes()).setIsolationLevel((byte) 0)
                .setSessionId(0).setSessionEpoch(-1);
        Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        long nextRetry = Long.MAX_VALUE;
        for (Follower follower : followers.values()) {
            if (!follower.truncated || follower.retryAtMs > now) {
                nextRetry = Math.min(nextRetry, follower.retryAtMs);
                continue;
            }
            TopicPartition tp = follower.partition.topicPartition();
            fetching.put(tp, follower);
            topics.computeIfAbsent(tp.topic(), name -> {
                FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic(name);
                request.topics().add(topic);
                return topic;
            }).partitions().add(new FetchRequestData.FetchPartition().setPartition(tp.partition())
                    .setCurrentLeaderEpoch(follower.leaderEpoch).setFetchOffset(follower.fetchOffset)
                    .setLogStartOffset(follower.partition.logStartOffset()).setPartitionMaxBytes(settings.partitionMaxBytes()));
        }
        if (fetching.isEmpty()) {
            idle(nextRetry == Long.MAX_VALUE ? EPOCH_RETRY_MS : Math.max(1, Math.min(nextRetry - now, 100)));
            return;
        }
        FetchResponse response;
        inLongPoll = true;
        try {
            if (wokenUp) {
                return; // a partition changed since this request was built: build it again
            }
            response = (FetchResponse) current.send(request, FETCH_VERSION);
        } finally {
            inLongPoll = false;
        }
        // Every partition's append goes to its own writer first, so partitions are written in parallel.
        Map<Follower, CompletableFuture<Void>> appends = new LinkedHashMap<>();
        Map<Follower, FetchResponseData.PartitionData> answers = new LinkedHashMap<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), data.partitionIndex());
                Follower follower = fetching.get(tp);
                if (follower != null && followers.get(tp) == follower) {
                    answers.put(follower, data);
                    if (data.errorCode() == Errors.NONE.code() && data.records() instanceof MemoryRecords records
                            && records.sizeInBytes() > 0) {
                        appends.put(follower, follower.partition.onWriter(() -> {
                            follower.partition.appendAsFollower(records);
                            traffic.replicated(tp.topic(), records.sizeInBytes());
                            return null;
                        }));
                    }
                }
            }
        }
        answers.forEach((follower, data) -> handle(follower, data, appends.get(follower)));
    }

    private void handle(Follower follower, FetchResponseData.PartitionData data, CompletableFuture<Void> append) {
        Partition partition = follower.partition;
        Errors error = Errors.forCode(data.errorCode());
        switch (error) {
            case NONE -> {
                if (append != null) {
                    try {
                        append.get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        // Out of step with the leader (a racing truncation, say): ask where the logs agree again.
                        log.warn("Broker {}: could not append the batches of {} fetched from leader {}: {}; truncating again "
                                + "after {} ms", brokerId, partition.topicPartition(), leaderId, e.toString(), settings.backoffMs());
                        follower.truncated = false;
                        // A disk that refuses writes must not be retried in a tight loop.
                        follower.retryAtMs = System.currentTimeMillis() + Math.max(settings.backoffMs(), EPOCH_RETRY_MS);
                        return;
                    }
                }
                follower.fetchOffset = partition.logEndOffset();
                partition.updateFollowerHighWatermark(data.highWatermark());
                // DeleteRecords on the leader: follow its log start offset as far as this replica's log reaches.
                long leaderStart = Math.min(data.logStartOffset(), partition.logEndOffset());
                if (leaderStart > partition.logStartOffset()) {
                    writeAndWait(partition, () -> partition.log().advanceLogStartOffset(leaderStart));
                }
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (data.logStartOffset() > follower.fetchOffset) {
                    writeAndWait(partition, () -> partition.truncateFullyAndStartAt(data.logStartOffset()));
                    follower.fetchOffset = partition.logEndOffset();
                } else {
                    follower.truncated = false;
                }
            }
            default -> {
                // FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER...: the leader and we disagree on
                // the state for a moment; the next state change re-points this partition.
                log.debug("Broker {}: leader {} answered the fetch of {} with {}", brokerId, leaderId, partition.topicPartition(), error);
                follower.retryAtMs = System.currentTimeMillis() + EPOCH_RETRY_MS;
            }
        }
    }

    private static void writeAndWait(Partition partition, Runnable write) {
        try {
            partition.onWriter(() -> {
                write.run();
                return null;
            }).get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + partition.topicPartition(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the writer of " + partition.topicPartition() + " did not finish within "
                    + WRITE_TIMEOUT_MS + " ms", e);
        }
    }

    private void idle(long ms) {
        synchronized (changed) {
            if (wokenUp || closed) {
                return;
            }
            try {
                changed.wait(Math.max(1, ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    List<TopicPartition> partitions() {
        return new ArrayList<>(followers.keySet());
    }
}
