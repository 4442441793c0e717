package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.WakeupSignal;
import io.tributary.client.serde.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Reads partitions it assigns itself ({@link #assign}) or that its consumer group gives it ({@link #subscribe},
 * needs group.id): Kafka's classic group protocol, with Kafka's assignors, so client-sdk consumers and official
 * Kafka consumers can share a group. With a group, new partitions start at the group's committed offsets;
 * commits are explicit ({@link #commitSync()}, {@link #commitAsync}) or automatic (enable.auto.commit, the
 * default: at-least-once, see {@link ConsumerGroup}).
 *
 * <p>Single-threaded, like Kafka's consumer: call it from one thread at a time; concurrent calls fail
 * with {@link ConcurrentModificationException} instead of corrupting positions. Network I/O happens on
 * the connection threads; decoding, deserialization and position updates happen inside poll().
 *
 * <p>Positions: a newly assigned partition starts at its committed offset if the consumer has a group.id and
 * the group committed one, else at auto.offset.reset (earliest: the log start;
 * latest: the high watermark; none: poll() throws {@link NoOffsetForPartitionException} until seek()).
 * The same applies when a fetch reports OFFSET_OUT_OF_RANGE. Fetches go to each partition's leader;
 * NOT_LEADER_OR_FOLLOWER and similar errors refresh the metadata and fetch from the new leader.
 */
public final class Consumer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);

    private record ResetOutcome(OffsetResetStrategy strategy, OffsetLookup.Result result) {
    }

    private final ConsumerConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final SubscriptionState subscriptions;
    private final OffsetLookup offsets;
    private final Fetcher<K, V> fetcher;
    private final WakeupSignal wakeup = new WakeupSignal();
    private final Set<TopicPartition> resetsInFlight = new HashSet<>();
    private final ConcurrentLinkedQueue<ResetOutcome> resetOutcomes = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** Nesting depth of the owner's calls: a rebalance listener may call the consumer from inside poll(). */
    private int ownerDepth;
    /** Null without group.id: then only assign() works and nothing is committed. */
    private final ConsumerGroup group;
    private volatile boolean closed;

    public Consumer(Properties config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.from(config), keyDeserializer, valueDeserializer);
    }

    public Consumer(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.config = config;
        Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        this.pool = new ConnectionPool(config.clientId(), config.connectionSetupTimeoutMs(), config.requestTimeoutMs());
        this.metadata = new MetadataCache(pool, config.bootstrapServers(), config.metadataMaxAgeMs(), config.retryBackoffMs(), false);
        this.metadata.addListener(wakeup::signal);
        this.subscriptions = new SubscriptionState(config.autoOffsetReset());
        this.offsets = new OffsetLookup(pool, metadata, config.requestTimeoutMs(), config.retryBackoffMs());
        this.fetcher = new Fetcher<>(config, pool, metadata, subscriptions,
                new RecordDecoder<>(keyDeserializer, valueDeserializer), wakeup);
        this.group = config.group().hasGroup()
                ? new ConsumerGroup(config, pool, metadata, subscriptions, () -> fetcher.retainBuffers(subscriptions.assignment()), wakeup)
                : null;
    }

    /**
     * Joins the group (group.id) to read the given topics; the group spreads their partitions over its members.
     * Replaces an earlier subscription. The listener is called from poll() when partitions come and go.
     *
     * @throws IllegalStateException without group.id, or when partitions were assigned with {@link #assign}
     */
    public void subscribe(Collection<String> topics, RebalanceListener listener) {
        acquire();
        try {
            Objects.requireNonNull(topics, "topics");
            for (String t : topics) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("Topic names in subscribe() must not be null or blank: " + topics);
                }
            }
            requireGroupForSubscribe();
            if (topics.isEmpty()) {
                unsubscribeInternal();
                return;
            }
            group.subscribe(topics, listener == null ? RebalanceListener.NONE : listener);
        } finally {
            release();
        }
    }

    public void subscribe(Collection<String> topics) {
        subscribe(topics, RebalanceListener.NONE);
    }

    /**
     * Joins the group to read every topic whose whole name matches {@code pattern}; the match is re-evaluated
     * every metadata.max.age.ms, so topics created later join the subscription (and trigger a rebalance).
     */
    public void subscribe(Pattern pattern, RebalanceListener listener) {
        acquire();
        try {
            Objects.requireNonNull(pattern, "pattern");
            requireGroupForSubscribe();
            group.subscribe(pattern, listener == null ? RebalanceListener.NONE : listener);
        } finally {
            release();
        }
    }

    /** Leaves the group (committing first with auto-commit, revoking through the listener) or drops a manual assignment. */
    public void unsubscribe() {
        acquire();
        try {
            unsubscribeInternal();
        } finally {
            release();
        }
    }

    private void unsubscribeInternal() {
        if (group != null && group.isSubscribed()) {
            group.unsubscribe();
        }
        subscriptions.assign(List.of());
        fetcher.retainBuffers(Set.of());
        metadata.setTopics(Set.of());
    }

    private void requireGroupForSubscribe() {
        if (group == null) {
            throw new IllegalStateException("subscribe() needs a consumer group: set group.id (or use assign())");
        }
        if (!group.isSubscribed() && !subscriptions.assignment().isEmpty()) {
            throw new IllegalStateException("subscribe() and assign() are exclusive: this consumer has assigned partitions "
                    + subscriptions.assignment() + "; call unsubscribe() first");
        }
    }

    /**
     * Commits the positions of every assigned partition (the offsets after the records poll() returned),
     * blocking until the coordinator has them or request.timeout.ms passes.
     *
     * @throws CommitFailedException the group rebalanced and the partitions may have moved
     */
    public void commitSync() {
        acquire();
        try {
            requireGroup("commitSync()");
            group.commitSync(subscriptions.positions(), MonotonicClock.nowMs() + config.requestTimeoutMs());
        } finally {
            release();
        }
    }

    /** Commits the given offsets (each the next offset to read) for the group. */
    public void commitSync(Map<TopicPartition, Long> offsets) {
        acquire();
        try {
            requireGroup("commitSync()");
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                if (e.getValue() == null || e.getValue() < 0) {
                    throw new IllegalArgumentException("Offset to commit for " + e.getKey() + " must be >= 0 but was " + e.getValue());
                }
            }
            group.commitSync(offsets, MonotonicClock.nowMs() + config.requestTimeoutMs());
        } finally {
            release();
        }
    }

    /** Commits the positions of every assigned partition without waiting; the callback runs in a later poll(). */
    public void commitAsync(OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup("commitAsync()");
            group.commitAsync(subscriptions.positions(), callback == null ? (o, e) -> { } : callback);
        } finally {
            release();
        }
    }

    /** The group's committed offsets of these partitions; partitions without a commit are absent. Blocks up to request.timeout.ms. */
    public Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        acquire();
        try {
            requireGroup("committed()");
            return new HashMap<>(group.committed(Set.copyOf(partitions), MonotonicClock.nowMs() + config.requestTimeoutMs()));
        } finally {
            release();
        }
    }

    private void requireGroup(String what) {
        if (group == null) {
            throw new IllegalStateException(what + " needs a consumer group: set group.id");
        }
    }

    /** Replaces the assignment. Partitions kept keep their positions; new ones start at auto.offset.reset. */
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            Objects.requireNonNull(partitions, "partitions");
            if (group != null && group.isSubscribed()) {
                throw new IllegalStateException("subscribe() and assign() are exclusive: this consumer is subscribed; "
                        + "call unsubscribe() first");
            }
            if (group != null) {
                subscriptions.assignFromGroup(partitions); // with a group.id, new partitions start at committed offsets
            } else {
                subscriptions.assign(partitions);
            }
            fetcher.retainBuffers(subscriptions.assignment());
            metadata.setTopics(subscriptions.topics());
        } finally {
            release();
        }
    }

    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return subscriptions.assignment();
        } finally {
            release();
        }
    }

    /**
     * Returns records fetched since the last call, at most max.poll.records, waiting up to
     * {@code timeout} for some to arrive. Positions advance past the returned records.
     *
     * @throws NoOffsetForPartitionException auto.offset.reset=none and a partition has no position
     * @throws io.tributary.client.common.ApiException a non-retriable broker error
     */
    public List<ConsumerRecord<K, V>> poll(Duration timeout) {
        acquire();
        try {
            long start = MonotonicClock.nowMs();
            long timeoutMs = Math.max(0, timeout.toMillis());
            long deadline = start + timeoutMs < start ? Long.MAX_VALUE : start + timeoutMs;
            while (true) {
                long now = MonotonicClock.nowMs();
                if (!metadata.topics().isEmpty() && metadata.updateDue(now)) {
                    metadata.refresh();
                }
                long groupWakeAt = Long.MAX_VALUE;
                if (group != null) {
                    group.polled(); // waiting inside poll() is not being stuck between polls
                    groupWakeAt = Math.min(group.poll(now), now + group.maxPollWaitMs());
                    group.initPositions(now + config.requestTimeoutMs());
                }
                applyResetOutcomes(now);
                failIfNoOffset();
                startResets(now);
                fetcher.processCompleted(now);
                List<ConsumerRecord<K, V>> records = fetcher.drain(config.maxPollRecords());
                fetcher.sendFetches(now); // also prefetches while the caller processes these records
                if (!records.isEmpty()) {
                    return records;
                }
                if (now >= deadline) {
                    return List.of();
                }
                long wakeAt = Math.min(Math.min(deadline, groupWakeAt), fetcher.nextBackoffExpiryMs(now));
                if (subscriptions.hasPendingResets()) {
                    wakeAt = Math.min(wakeAt, now + config.retryBackoffMs());
                }
                if (!metadata.topics().isEmpty()) {
                    wakeAt = Math.min(wakeAt, Math.max(now, metadata.nextUpdateDueMs()));
                }
                wakeup.await(wakeAt - now);
            }
        } finally {
            release();
        }
    }

    /** Fetches from {@code offset} next. */
    public void seek(TopicPartition partition, long offset) {
        acquire();
        try {
            if (offset < 0) {
                throw new IllegalArgumentException("Seek offset must be >= 0 but was " + offset + " for " + partition);
            }
            subscriptions.seek(partition, offset);
            fetcher.clearBuffer(partition);
        } finally {
            release();
        }
    }

    /** Moves to the log start offset; resolved lazily by the next poll() or position(). */
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.EARLIEST);
    }

    /** Moves to the high watermark; resolved lazily by the next poll() or position(). */
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.LATEST);
    }

    private void requestReset(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquire();
        try {
            for (TopicPartition tp : partitions) {
                subscriptions.requestReset(tp, strategy);
                fetcher.clearBuffer(tp);
            }
        } finally {
            release();
        }
    }

    /**
     * The offset of the next record poll() will return for the partition, resolving a pending reset
     * (blocks up to request.timeout.ms).
     */
    public long position(TopicPartition partition) {
        acquire();
        try {
            if (group != null && subscriptions.isAssigned(partition)) {
                group.initPositions(MonotonicClock.nowMs() + config.requestTimeoutMs());
            }
            Long position = subscriptions.position(partition);
            if (position != null) {
                return position;
            }
            OffsetResetStrategy strategy = pendingStrategy(partition);
            if (strategy == OffsetResetStrategy.NONE) {
                throw new NoOffsetForPartitionException(Set.of(partition));
            }
            long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
            long offset = offsets.lookupBlocking(Map.of(partition, strategy.listOffsetsTimestamp()), deadline).get(partition);
            subscriptions.completeReset(partition, strategy, offset);
            Long resolved = subscriptions.position(partition);
            return resolved != null ? resolved : offset;
        } finally {
            release();
        }
    }

    /** The log start offsets (ListOffsets -2); the partitions need not be assigned. Blocks up to request.timeout.ms. */
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, ListOffsetsRequests.EARLIEST_TIMESTAMP);
    }

    /** The high watermarks (ListOffsets -1); the partitions need not be assigned. Blocks up to request.timeout.ms. */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, ListOffsetsRequests.LATEST_TIMESTAMP);
    }

    /**
     * For each partition, the offset of the first record whose timestamp is at or after {@code timestampMs}
     * (ListOffsets by time); partitions without such a record are absent. Blocks up to request.timeout.ms.
     */
    public Map<TopicPartition, Long> offsetsForTime(Collection<TopicPartition> partitions, long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("timestampMs must be >= 0 but was " + timestampMs);
        }
        Map<TopicPartition, Long> offsets = listOffsets(partitions, timestampMs);
        offsets.values().removeIf(offset -> offset < 0); // -1: no record that late
        return offsets;
    }

    private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp) {
        acquire();
        try {
            Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
            Set<String> topics = new HashSet<>();
            for (TopicPartition tp : partitions) {
                timestamps.put(tp, timestamp);
                topics.add(tp.topic());
            }
            if (timestamps.isEmpty()) {
                return Map.of();
            }
            metadata.addTopics(topics);
            long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
            return new HashMap<>(offsets.lookupBlocking(timestamps, deadline));
        } finally {
            release();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (group != null) {
            // Throws while another thread is inside poll(), leaving everything open so close() can be called again.
            acquire();
        }
        try {
            if (group != null) {
                group.close(); // commits (auto-commit), revokes, leaves the group unless static; stops the heartbeats
            }
        } finally {
            if (group != null) {
                release();
            }
            closed = true;
            pool.close();
        }
    }

    private OffsetResetStrategy pendingStrategy(TopicPartition tp) {
        for (OffsetResetStrategy s : OffsetResetStrategy.values()) {
            if (subscriptions.awaitingReset(s, Long.MAX_VALUE).contains(tp)) {
                return s;
            }
        }
        throw new IllegalStateException("Partition " + tp + " has neither a position nor a pending reset");
    }

    private void failIfNoOffset() {
        Set<TopicPartition> none = subscriptions.awaitingReset(OffsetResetStrategy.NONE, Long.MAX_VALUE);
        if (!none.isEmpty()) {
            throw new NoOffsetForPartitionException(none);
        }
    }

    /** Starts ListOffsets for partitions awaiting earliest/latest, without blocking poll(). */
    private void startResets(long nowMs) {
        for (OffsetResetStrategy strategy : List.of(OffsetResetStrategy.EARLIEST, OffsetResetStrategy.LATEST)) {
            Map<TopicPartition, Long> request = new LinkedHashMap<>();
            for (TopicPartition tp : subscriptions.awaitingReset(strategy, nowMs)) {
                if (!resetsInFlight.contains(tp)) {
                    request.put(tp, strategy.listOffsetsTimestamp());
                }
            }
            if (request.isEmpty()) {
                continue;
            }
            resetsInFlight.addAll(request.keySet());
            offsets.lookup(request).whenComplete((result, error) -> {
                OffsetLookup.Result r = result != null ? result : new OffsetLookup.Result(Map.of(), failAll(request.keySet(), error));
                resetOutcomes.add(new ResetOutcome(strategy, r));
                wakeup.signal();
            });
        }
    }

    private static Map<TopicPartition, TributaryException> failAll(Set<TopicPartition> partitions, Throwable error) {
        Map<TopicPartition, TributaryException> errors = new HashMap<>();
        TributaryException e = io.tributary.client.network.FutureWaits.asTributary(error);
        partitions.forEach(tp -> errors.put(tp, e));
        return errors;
    }

    private void applyResetOutcomes(long nowMs) {
        ResetOutcome outcome;
        while ((outcome = resetOutcomes.poll()) != null) {
            OffsetLookup.Result r = outcome.result();
            r.offsets().keySet().forEach(resetsInFlight::remove);
            r.errors().keySet().forEach(resetsInFlight::remove);
            for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
                if (subscriptions.isAssigned(e.getKey())) {
                    subscriptions.completeReset(e.getKey(), outcome.strategy(), e.getValue());
                    log.debug("Reset position of {} to {} ({})", e.getKey(), e.getValue(), outcome.strategy());
                }
            }
            for (Map.Entry<TopicPartition, TributaryException> e : r.errors().entrySet()) {
                if (!e.getValue().retriable()) {
                    throw e.getValue();
                }
                log.debug("Resetting {} failed, retrying: {}", e.getKey(), e.getValue().getMessage());
                subscriptions.backoffReset(e.getKey(), nowMs + config.retryBackoffMs());
            }
        }
    }

    /** Kafka's light-weight guard against use from two threads at once. */
    private void acquire() {
        if (closed) {
            throw new IllegalStateException("This consumer has already been closed");
        }
        Thread current = Thread.currentThread();
        if (owner.get() != current && !owner.compareAndSet(null, current)) {
            throw new ConcurrentModificationException("Consumer is not safe for multi-threaded access; in use by "
                    + owner.get().getName());
        }
        ownerDepth++;
    }

    private void release() {
        if (--ownerDepth == 0) {
            owner.set(null);
        }
    }
}
