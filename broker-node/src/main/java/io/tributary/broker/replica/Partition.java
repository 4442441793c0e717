package io.tributary.broker.replica;

import io.tributary.broker.log.AppendResult;
import io.tributary.broker.log.InvalidRecordBatchException;
import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.producer.ProducerStateTable;
import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.SerialExecutor;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica on this broker: its log, its role, its high watermark and, while it leads, its view of
 * the followers and the acks=all writes waiting for them (docs/architecture.md, "Replication").
 *
 * <h2>Threads</h2>
 * Writes to the log (leader appends, follower appends, truncation) run on the partition's serial writer.
 * Role changes come from the election lane and take effect at once, not behind queued writes: losing
 * leadership flips {@link #leadership} and fails acks=all waits immediately. The high watermark and the
 * followers' progress change under {@link #hwLock}, from fetch threads and the writer; reads run anywhere and
 * see published state only.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    /** Writes the ISR to ZooKeeper by CAS with the leader's epoch; completes with false when not written. */
    public interface IsrWriter {
        CompletableFuture<Boolean> write(List<Integer> newIsr);
    }

    private final int brokerId;
    private final TopicPartition topicPartition;
    private final PartitionLog partitionLog;
    private final SerialExecutor writer;
    private final Set<Runnable> dataListeners = ConcurrentHashMap.newKeySet();
    private final ProducerStateTable producerStates = new ProducerStateTable();
    private final PendingAcks pendingAcks;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final Object roleLock = new Object();
    private final Object hwLock = new Object();
    private final FollowerProgress followers = new FollowerProgress();
    private final AtomicBoolean isrChangeInFlight = new AtomicBoolean();
    private volatile Leadership leadership = Leadership.NONE;
    /** Counts role changes, so a queued becomeLeader that was overtaken by a loss of leadership does nothing. */
    private long roleChanges;
    private volatile boolean writesStopped;
    private volatile long highWatermark;
    private volatile int minInsyncReplicas;
    private volatile List<Integer> replicas;
    private volatile IsrWriter isrWriter = isr -> CompletableFuture.completedFuture(false);
    private volatile PartitionRoleListener roleListener;
    private volatile IsrChangeListener isrChangeListener = IsrChangeListener.NONE;
    /** Followers being added to the ISR: counted for the high watermark before the CAS lands (never fewer). */
    private Set<Integer> pendingIsrAdditions = Set.of();
    private long leaderEpochStartOffset;
    private long checkpointedHighWatermark = -1;

    Partition(int brokerId, TopicPartition topicPartition, PartitionLog partitionLog, SerialExecutor writer,
              ScheduledExecutorService timers, int minInsyncReplicas, List<Integer> replicas) {
        this.brokerId = brokerId;
        this.topicPartition = topicPartition;
        this.partitionLog = partitionLog;
        this.writer = writer;
        this.pendingAcks = new PendingAcks(timers);
        this.minInsyncReplicas = minInsyncReplicas;
        this.replicas = List.copyOf(replicas);
        OptionalLong checkpoint = HighWatermarkFile.read(partitionLog.dir());
        // Without a checkpoint nothing is known to be committed: start low, the leader's ISR raises it.
        this.highWatermark = Math.max(partitionLog.logStartOffset(),
                Math.min(checkpoint.orElse(partitionLog.logStartOffset()), partitionLog.logEndOffset()));
        this.checkpointedHighWatermark = checkpoint.orElse(-1);
        // Queued first on the writer, so no append can run before the producer state is rebuilt.
        writer.execute(() -> {
            loadProducerState();
            loaded.complete(null);
        });
    }

    /** Completes once the replica can serve: its producer state is rebuilt. Only then may it join the election. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    /**
     * Rebuilds which batches idempotent producers wrote recently from the newest two segments, so a retry
     * that arrives after a restart or a truncation is still recognised as a duplicate. Reads batch headers only.
     */
    private void loadProducerState() {
        producerStates.clear();
        List<Long> segments = partitionLog.segmentBaseOffsets();
        long offset = Math.max(partitionLog.logStartOffset(), segments.size() >= 2 ? segments.get(segments.size() - 2) : 0);
        long end = partitionLog.logEndOffset();
        try {
            while (offset < end) {
                long next = offset;
                for (RecordBatch batch : partitionLog.read(offset, 1 << 20, end, true).records().batches()) {
                    producerStates.record(batch, batch.baseOffset(), batch.lastOffset());
                    next = batch.nextOffset();
                }
                if (next == offset) {
                    break;
                }
                offset = next;
            }
        } catch (RuntimeException e) {
            log.warn("Broker {}: could not rebuild the producer state of {}; retries of batches written before "
                    + "this point may be stored twice", brokerId, topicPartition, e);
        }
    }

    /** An append's outcome together with the log start offset the Produce response reports. */
    public record Appended(AppendResult result, long logStartOffset) {}

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Leadership leadership() {
        return leadership;
    }

    public boolean isLeader() {
        return leadership.leader();
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logStartOffset() {
        return partitionLog.logStartOffset();
    }

    public long logEndOffset() {
        return partitionLog.logEndOffset();
    }

    public List<Integer> replicas() {
        return replicas;
    }

    SerialExecutor writer() {
        return writer;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    /** min.insync.replicas of this partition's topic. */
    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    void setIsrChangeListener(IsrChangeListener listener) {
        this.isrChangeListener = listener;
    }

    void setMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    void setReplicas(List<Integer> replicas) {
        this.replicas = List.copyOf(replicas);
    }

    void setIsrWriter(IsrWriter isrWriter) {
        this.isrWriter = isrWriter;
    }

    void setRoleListener(PartitionRoleListener roleListener) {
        this.roleListener = roleListener;
    }

    /** Called holding {@code roleLock}, so listeners hear the changes in the order they happened. */
    private void tellRoleListener(boolean leading, int leaderEpoch) {
        PartitionRoleListener listener = roleListener;
        if (listener == null) {
            return;
        }
        try {
            if (leading) {
                listener.becameLeader(this, leaderEpoch);
            } else {
                listener.resigned(this);
            }
        } catch (RuntimeException e) {
            log.warn("Broker {}: a role listener of {} failed", brokerId, topicPartition, e);
        }
    }

    /** Runs {@code task} on the partition's writer, after every write queued before it. */
    public <T> CompletableFuture<T> onWriter(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- roles ----

    /**
     * Leads from {@code leaderEpoch} on, once the epoch's start is in the leader-epoch checkpoint (queued on the
     * writer, after writes still in flight as a follower). The high watermark stays where it was: it moves only
     * as the ISR catches up, so a new leader never exposes its uncommitted tail.
     */
    void becomeLeader(int leaderEpoch, List<Integer> isr) {
        long change;
        synchronized (roleLock) {
            change = ++roleChanges;
        }
        writer.execute(() -> {
            synchronized (roleLock) {
                if (roleChanges != change) {
                    return;
                }
            }
            // KIP-101: where this epoch starts, so a returning replica can find where logs diverge.
            partitionLog.recordLeaderEpochStart(leaderEpoch);
            long now = System.currentTimeMillis();
            synchronized (roleLock) {
                if (roleChanges != change) {
                    return;
                }
                synchronized (hwLock) {
                    List<Integer> others = new ArrayList<>(replicas);
                    others.remove(Integer.valueOf(brokerId));
                    followers.reset(others, now);
                    pendingIsrAdditions = Set.of();
                    leaderEpochStartOffset = partitionLog.logEndOffset();
                }
                writesStopped = false;
                pendingAcks.open();
                leadership = new Leadership(true, leaderEpoch, List.copyOf(isr));
                log.info("Broker {}: now leader of {} at leader epoch {}, ISR {}, log end offset {}, high watermark {}", brokerId,
                        topicPartition, leaderEpoch, isr, partitionLog.logEndOffset(), highWatermark);
                // Told under the lock, as the resignation is: a resign right after must not reach listeners first
                // (a coordinator would then load groups for a partition it no longer leads). Listeners only enqueue.
                tellRoleListener(true, leaderEpoch);
            }
            maybeAdvanceHighWatermark();
            notifyDataListeners();
        });
    }

    /**
     * Stops acting as leader at once: a lost CAS, a newer state, a suspended ZooKeeper session, a hand-over.
     * Produces are refused from now on and acks=all waits fail; their records may or may not be committed.
     */
    void resignLeadership(String reason, int knownEpoch) {
        boolean wasLeader;
        synchronized (roleLock) {
            roleChanges++;
            wasLeader = leadership.leader();
            leadership = new Leadership(false, Math.max(knownEpoch, leadership.leaderEpoch()), leadership.isr());
            if (wasLeader) {
                log.info("Broker {}: no longer leader of {}: {}", brokerId, topicPartition, reason);
                tellRoleListener(false, -1); // in order with becomeLeader's notice (both under the lock)
            }
        }
        pendingAcks.failAll(new ApiError(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + brokerId + " no longer leads "
                + topicPartition + " (" + reason + ")"));
        notifyDataListeners();
    }

    /** The follower side of a state change: the epoch and ISR the leader works with. */
    void followState(int leaderEpoch, List<Integer> isr) {
        synchronized (roleLock) {
            if (!leadership.leader()) {
                leadership = new Leadership(false, leaderEpoch, List.copyOf(isr));
            }
        }
    }

    /**
     * Controlled shutdown and planned moves: refuse new writes from now on (clients retry elsewhere), so the
     * followers can reach the log end offset before leadership is handed over.
     */
    void stopWrites() {
        writesStopped = true;
    }

    /** A planned move that did not happen in time: accept writes again. */
    void resumeWrites() {
        writesStopped = false;
    }

    /**
     * The first ISR follower, in preferred-replica order and among {@code candidates}, that holds this leader's
     * whole log, if any. Used after {@link #stopWrites()} to pick the successor of a planned move.
     */
    Optional<Integer> caughtUpFollower(IntPredicate candidates) {
        Leadership current = leadership;
        if (!current.leader()) {
            return Optional.empty();
        }
        long end = partitionLog.logEndOffset();
        synchronized (hwLock) {
            for (int id : replicas) {
                if (id != brokerId && candidates.test(id) && current.isr().contains(id) && followers.logEndOffset(id) >= end) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    // ---- leader: produce ----

    /**
     * Appends a producer's batches if this replica still leads when the write actually happens. With acks=all
     * the future completes once the high watermark passes the batches (or fails after {@code timeoutMs}).
     * Fails with an {@link ApiError} carrying the partition's error code.
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, short acks, long timeoutMs) {
        return appendAsLeader(records, acks, timeoutMs, -1, NOT_OBSERVED);
    }

    /**
     * As {@link #appendAsLeader(MemoryRecords, short, long)}, calling {@code onWritten} on the partition's writer
     * as soon as the batches are in the local log, before acks=all waits for the ISR: what the leader wrote counts
     * as written even when the wait then times out (Kafka counts messages-in at the local append too).
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, short acks, long timeoutMs,
                                                          Consumer<AppendResult> onWritten) {
        return appendAsLeader(records, acks, timeoutMs, -1, onWritten);
    }

    /**
     * As {@link #appendAsLeader(MemoryRecords, short, long)}, but only while this replica leads at
     * {@code expectedLeaderEpoch} (-1: any epoch): a writer whose state belongs to one term of leadership (the
     * group coordinator) must not write into the next one.
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, short acks, long timeoutMs, int expectedLeaderEpoch) {
        return appendAsLeader(records, acks, timeoutMs, expectedLeaderEpoch, NOT_OBSERVED);
    }

    private CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, short acks, long timeoutMs,
                                                           int expectedLeaderEpoch, Consumer<AppendResult> onWritten) {
        CompletableFuture<AppendResult> appended = onWriter(() -> {
            if (expectedLeaderEpoch >= 0 && leadership.leaderEpoch() != expectedLeaderEpoch) {
                throw new ApiError(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + brokerId + " no longer leads " + topicPartition
                        + " at leader epoch " + expectedLeaderEpoch);
            }
            AppendResult result = appendNow(records, acks);
            onWritten.accept(result);
            return result;
        });
        if (acks != -1) {
            return appended.exceptionallyCompose(Partition::asApiError);
        }
        return appended.thenCompose(result -> {
            CompletableFuture<AppendResult> committed = pendingAcks.await(result, timeoutMs, topicPartition.toString());
            // The high watermark may have passed already (a single-member ISR, or fast followers).
            maybeAdvanceHighWatermark();
            completeCoveredWaits();
            return committed;
        }).exceptionallyCompose(Partition::asApiError);
    }

    private static final Consumer<AppendResult> NOT_OBSERVED = result -> { };

    private static CompletableFuture<AppendResult> asApiError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return CompletableFuture.failedFuture(ApiError.from(cause));
    }

    private AppendResult appendNow(MemoryRecords records, short acks) {
        Leadership current = leadership;
        if (!current.leader() || writesStopped) {
            throw new ApiError(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + brokerId + " is not the leader of " + topicPartition
                    + (current.leader() ? " (handing leadership over)" : ""));
        }
        if (acks == -1 && current.isr().size() < minInsyncReplicas) {
            throw new ApiError(Errors.NOT_ENOUGH_REPLICAS, "ISR " + current.isr() + " of " + topicPartition
                    + " is smaller than min.insync.replicas=" + minInsyncReplicas);
        }
        Optional<ProducerStateTable.WrittenBatch> duplicate = checkProducers(records);
        if (duplicate.isPresent()) {
            ProducerStateTable.WrittenBatch earlier = duplicate.get();
            log.debug("Broker {}: {} already holds the batch {}..{} at offset {}; not written again",
                    brokerId, topicPartition, earlier.firstSequence(), earlier.lastSequence(), earlier.firstOffset());
            return new AppendResult(earlier.firstOffset(), earlier.lastOffset(), RecordBatch.NO_TIMESTAMP,
                    RecordBatch.NO_TIMESTAMP, 1, 0);
        }
        AppendResult appended;
        try {
            appended = partitionLog.appendAsLeader(records, current.leaderEpoch(), System.currentTimeMillis());
        } catch (InvalidRecordBatchException e) {
            throw new ApiError(e.error(), e.getMessage());
        } catch (UncheckedIOException e) {
            log.error("Broker {}: cannot write to the log of {} in {}", brokerId, topicPartition, partitionLog.dir(), e);
            throw new ApiError(Errors.KAFKA_STORAGE_ERROR, "the log of " + topicPartition + " on broker "
                    + brokerId + " could not be written: " + e.getCause().getMessage());
        }
        // The log assigned offsets in place, so the batches now carry them.
        for (RecordBatch batch : records.batches()) {
            producerStates.record(batch, batch.baseOffset(), batch.lastOffset());
        }
        maybeAdvanceHighWatermark();
        notifyDataListeners(); // followers waiting in a fetch
        return appended;
    }

    /**
     * Checks every batch of the request against what its producer wrote before (KIP-98). Batches of one producer
     * within a request must follow each other; a request whose batches were all written already is a retry and
     * is answered with the first one's original offsets. CRCs are checked first, so a corrupt batch is never
     * mistaken for a duplicate (the log then refuses it).
     */
    private Optional<ProducerStateTable.WrittenBatch> checkProducers(MemoryRecords records) {
        ProducerStateTable.WrittenBatch firstDuplicate = null;
        int duplicates = 0;
        int idempotent = 0;
        Map<Long, RecordBatch> previousInRequest = new HashMap<>();
        for (MutableRecordBatch batch : records.batches()) {
            if (!batch.hasProducerId() || !batch.isValid()) {
                continue;
            }
            idempotent++;
            RecordBatch previous = previousInRequest.put(batch.producerId(), batch);
            if (previous != null) {
                if (previous.producerEpoch() != batch.producerEpoch() || batch.baseSequence() != previous.lastSequence() + 1) {
                    throw new ApiError(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId() + " sent sequence "
                            + batch.baseSequence() + " after " + previous.lastSequence() + " in one request to " + topicPartition);
                }
                if (duplicates > 0) {
                    duplicates++; // a retried request repeats every batch
                }
                continue;
            }
            Optional<ProducerStateTable.WrittenBatch> earlier = producerStates.check(batch);
            if (earlier.isPresent()) {
                duplicates++;
                if (firstDuplicate == null) {
                    firstDuplicate = earlier.get();
                }
            }
        }
        if (duplicates == 0) {
            return Optional.empty();
        }
        if (duplicates != idempotent) {
            throw new ApiError(Errors.DUPLICATE_SEQUENCE_NUMBER, "a produce request to " + topicPartition
                    + " mixes batches already written with new ones");
        }
        return Optional.ofNullable(firstDuplicate);
    }

    // ---- leader: followers, high watermark, ISR ----

    /**
     * A follower fetched from {@code fetchOffset}: it holds everything below. Updates its progress, and with it
     * the high watermark; a follower outside the ISR that has caught up is added to it.
     */
    public void recordFollowerFetch(int followerId, long fetchOffset, long nowMs) {
        boolean addToIsr;
        synchronized (hwLock) {
            Leadership current = leadership;
            if (!current.leader()) {
                return;
            }
            followers.onFetch(followerId, fetchOffset, partitionLog.logEndOffset(), nowMs);
            addToIsr = !current.isr().contains(followerId) && replicas.contains(followerId)
                    && fetchOffset >= highWatermark && fetchOffset >= leaderEpochStartOffset;
        }
        maybeAdvanceHighWatermark();
        if (addToIsr) {
            changeIsr(isr -> {
                List<Integer> next = new ArrayList<>(isr);
                if (!next.contains(followerId)) {
                    next.add(followerId);
                }
                return next;
            }, Set.of(followerId), "broker " + followerId + " caught up to offset " + fetchOffset);
        }
    }

    /**
     * Removes from the ISR the followers that were not caught up within {@code lagMs} and those no longer
     * registered (dead or fenced), so acks=all writes need not wait for them.
     */
    void maybeShrinkIsr(long nowMs, long lagMs, IntPredicate registered) {
        Leadership current = leadership;
        if (!current.leader()) {
            return;
        }
        Set<Integer> out = new LinkedHashSet<>();
        synchronized (hwLock) {
            out.addAll(followers.laggingSince(nowMs - lagMs, current.isr(), brokerId));
        }
        for (int id : current.isr()) {
            if (id != brokerId && !registered.test(id)) {
                out.add(id);
            }
        }
        if (!out.isEmpty()) {
            changeIsr(isr -> isr.stream().filter(id -> !out.contains(id)).toList(), Set.of(),
                    "broker(s) " + out + " not caught up within " + lagMs + " ms or not registered");
        }
    }

    /** One ISR CAS at a time; a change that cannot start now is tried again on the next fetch or check. */
    private void changeIsr(UnaryOperator<List<Integer>> change, Set<Integer> additions, String why) {
        if (!isrChangeInFlight.compareAndSet(false, true)) {
            return;
        }
        Leadership current = leadership;
        if (!current.leader()) {
            isrChangeInFlight.set(false);
            return;
        }
        List<Integer> next = List.copyOf(change.apply(current.isr()));
        if (next.equals(current.isr())) {
            isrChangeInFlight.set(false);
            return;
        }
        synchronized (hwLock) {
            pendingIsrAdditions = additions;
        }
        isrWriter.write(next).whenComplete((written, failure) -> {
            boolean applied = false;
            synchronized (roleLock) {
                Leadership now = leadership;
                if (Boolean.TRUE.equals(written) && now.leader() && now.leaderEpoch() == current.leaderEpoch()) {
                    leadership = new Leadership(true, now.leaderEpoch(), next);
                    applied = true;
                }
            }
            synchronized (hwLock) {
                pendingIsrAdditions = Set.of();
            }
            isrChangeInFlight.set(false);
            if (applied) {
                log.info("Broker {}: ISR of {} is now {} (was {}): {}", brokerId, topicPartition, next, current.isr(), why);
                isrChangeListener.isrChanged(topicPartition, current.isr(), next);
                maybeAdvanceHighWatermark();
                completeCoveredWaits();
            } else if (failure != null) {
                log.warn("Broker {}: could not change the ISR of {} to {}: {}", brokerId, topicPartition, next, failure.toString());
            }
        });
    }

    /** High watermark = the smallest log end offset in the ISR (and of followers being added); it never goes back. */
    private void maybeAdvanceHighWatermark() {
        long advancedTo;
        synchronized (hwLock) {
            Leadership current = leadership;
            if (!current.leader()) {
                return;
            }
            long candidate = Math.min(partitionLog.logEndOffset(), smallestFollowerEnd(current.isr()));
            candidate = Math.min(candidate, smallestFollowerEnd(pendingIsrAdditions));
            if (candidate <= highWatermark) {
                return;
            }
            highWatermark = candidate;
            advancedTo = candidate;
        }
        completeCoveredWaits();
        notifyDataListeners();
        log.trace("Broker {}: high watermark of {} is {}", brokerId, topicPartition, advancedTo);
    }

    /** The smallest log end offset of these followers; one not heard from yet holds the high watermark where it is. */
    private long smallestFollowerEnd(Iterable<Integer> members) {
        long smallest = Long.MAX_VALUE;
        for (int id : members) {
            if (id != brokerId) {
                long followerEnd = followers.logEndOffset(id);
                smallest = Math.min(smallest, followerEnd == FollowerProgress.UNKNOWN ? highWatermark : followerEnd);
            }
        }
        return smallest;
    }

    private void completeCoveredWaits() {
        Leadership current = leadership;
        ApiError error = current.isr().size() < minInsyncReplicas
                ? new ApiError(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, "written to " + topicPartition + ", but its ISR "
                + current.isr() + " is smaller than min.insync.replicas=" + minInsyncReplicas)
                : null;
        pendingAcks.completeUpTo(highWatermark, error);
    }

    // ---- follower ----

    /** Appends batches fetched from the leader, exactly as they are. Runs on the writer. */
    public AppendResult appendAsFollower(MemoryRecords records) {
        AppendResult result = partitionLog.appendAsFollower(records);
        for (RecordBatch batch : records.batches()) {
            producerStates.record(batch, batch.baseOffset(), batch.lastOffset());
        }
        return result;
    }

    /** A follower's high watermark: the leader's, bounded by what this replica holds. */
    public void updateFollowerHighWatermark(long leaderHighWatermark) {
        if (leadership.leader()) {
            return;
        }
        long next = Math.min(leaderHighWatermark, partitionLog.logEndOffset());
        if (next > highWatermark) {
            highWatermark = next;
        }
    }

    /** Follower truncation (KIP-101): drops everything from {@code offset} and rebuilds the producer state. Runs on the writer. */
    public void truncateTo(long offset) {
        if (offset >= partitionLog.logEndOffset()) {
            return;
        }
        log.info("Broker {}: truncating {} from log end offset {} to {} to match the leader", brokerId, topicPartition,
                partitionLog.logEndOffset(), offset);
        partitionLog.truncateTo(offset);
        highWatermark = Math.min(highWatermark, partitionLog.logEndOffset());
        loadProducerState();
    }

    /** The leader's log starts after this replica's end: restart empty at the leader's start. Runs on the writer. */
    public void truncateFullyAndStartAt(long offset) {
        log.info("Broker {}: {} restarts its log at offset {} (the leader's log start)", brokerId, topicPartition, offset);
        partitionLog.truncateFullyAndStartAt(offset);
        highWatermark = offset;
        producerStates.clear();
    }

    // ---- reads ----

    /** Reads committed data for a consumer: whole batches up to the high watermark, at least one batch. */
    public LogReadResult readCommitted(long fetchOffset, int maxBytes) {
        return readCommitted(fetchOffset, maxBytes, true);
    }

    /**
     * Reads committed data for a consumer. {@code minOneBatch} returns the first batch even when it is
     * larger than {@code maxBytes}; KIP-74 allows that only for the first partition of a fetch response.
     */
    public LogReadResult readCommitted(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return partitionLog.read(fetchOffset, maxBytes, highWatermark, minOneBatch);
    }

    /** Reads for a follower: up to the log end offset, committed or not. */
    public LogReadResult readForFollower(long fetchOffset, int maxBytes, boolean minOneBatch) {
        return partitionLog.read(fetchOffset, maxBytes, Long.MAX_VALUE, minOneBatch);
    }

    /** The first committed record whose timestamp is at or after {@code timestampMs}. */
    public Optional<TimestampOffset> findCommittedByTimestamp(long timestampMs) {
        return partitionLog.findByTimestamp(timestampMs).filter(found -> found.offset() < highWatermark);
    }

    /** The largest timestamp in the log and the base offset of the batch holding it (KIP-734). */
    public Optional<TimestampOffset> maxTimestamp() {
        return partitionLog.maxTimestamp();
    }

    /** The leader epoch in which {@code offset} was written (KIP-320), or -1 when no epoch covers it. */
    public int leaderEpochAt(long offset) {
        int epoch = -1;
        for (Map.Entry<Integer, Long> start : partitionLog.leaderEpochs().entries()) {
            if (start.getValue() <= offset) {
                epoch = start.getKey();
            }
        }
        return epoch;
    }

    /** Registers a callback run whenever data is appended, the high watermark moves or the role changes. */
    public void addDataListener(Runnable listener) {
        dataListeners.add(listener);
    }

    public void removeDataListener(Runnable listener) {
        dataListeners.remove(listener);
    }

    private void notifyDataListeners() {
        for (Runnable listener : dataListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("Broker {}: a waiting fetch on {} failed to wake", brokerId, topicPartition, e);
            }
        }
    }

    /** Writes the high watermark checkpoint when it moved since the last write. Blocks on disk. */
    synchronized void checkpointHighWatermark() {
        long current = highWatermark;
        if (current == checkpointedHighWatermark) {
            return;
        }
        HighWatermarkFile.write(partitionLog.dir(), current);
        checkpointedHighWatermark = current;
    }

    void closeLog() {
        try {
            checkpointHighWatermark();
        } catch (RuntimeException e) {
            log.warn("Broker {}: could not checkpoint the high watermark of {}", brokerId, topicPartition, e);
        }
        try {
            partitionLog.close();
        } catch (Exception e) {
            log.warn("Broker {}: closing the log of {} failed", brokerId, topicPartition, e);
        }
    }
}
