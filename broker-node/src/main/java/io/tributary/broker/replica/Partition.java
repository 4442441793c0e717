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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica on this broker: its log, its role, and its high watermark. Writes and role
 * changes run on the partition's serial executor, so an append never interleaves with a change of
 * leadership; reads run anywhere and see published state only.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    private final int brokerId;
    private final TopicPartition topicPartition;
    private final PartitionLog partitionLog;
    private final SerialExecutor writer;
    private final Set<Runnable> dataListeners = ConcurrentHashMap.newKeySet();
    private volatile Leadership leadership = Leadership.NONE;
    private volatile long highWatermark;
    private volatile int minInsyncReplicas;
    private final ProducerStateTable producerStates = new ProducerStateTable();

    Partition(int brokerId, TopicPartition topicPartition, PartitionLog partitionLog, SerialExecutor writer, int minInsyncReplicas) {
        this.brokerId = brokerId;
        this.topicPartition = topicPartition;
        this.partitionLog = partitionLog;
        this.writer = writer;
        this.minInsyncReplicas = minInsyncReplicas;
        this.highWatermark = partitionLog.logEndOffset();
        // Queued first on the writer, so no append can run before the producer state is rebuilt.
        writer.execute(this::loadProducerState);
    }

    /**
     * Rebuilds which batches idempotent producers wrote recently from the newest two segments, so a retry
     * that arrives after a restart is still recognised as a duplicate. Reads batch headers only.
     */
    private void loadProducerState() {
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
                    + "this start may be stored twice", brokerId, topicPartition, e);
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

    SerialExecutor writer() {
        return writer;
    }

    PartitionLog log() {
        return partitionLog;
    }

    void setMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /** Runs on the writer. With a single-replica ISR everything in the log is committed (REPLICATION.md). */
    void becomeLeader(int leaderEpoch, List<Integer> isr) {
        // KIP-101: remember where this epoch starts so a returning replica can find where logs diverge.
        partitionLog.recordLeaderEpochStart(leaderEpoch);
        leadership = new Leadership(true, leaderEpoch, List.copyOf(isr));
        advanceHighWatermark();
        log.info("Broker {}: now leader of {} at leader epoch {}, ISR {}, log end offset {}", brokerId, topicPartition,
                leaderEpoch, isr, partitionLog.logEndOffset());
    }

    /** Stops acting as leader at once: called on a lost latch, a lost CAS or a suspended ZooKeeper session. */
    void resignLeadership(String reason) {
        if (leadership.leader()) {
            log.info("Broker {}: no longer leader of {} (epoch {}): {}", brokerId, topicPartition,
                    leadership.leaderEpoch(), reason);
        }
        leadership = new Leadership(false, leadership.leaderEpoch(), leadership.isr());
        notifyDataListeners();
    }

    /**
     * Appends a producer's batches if this replica still leads when the write actually happens.
     * Completes with the append result or fails with a {@link ApiError}.
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, short acks) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                result.complete(appendNow(records, acks));
            } catch (ApiError e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                log.error("Broker {}: append to {} failed", brokerId, topicPartition, e);
                result.completeExceptionally(new ApiError(Errors.UNKNOWN_SERVER_ERROR, e.toString()));
            }
        });
        return result;
    }

    private AppendResult appendNow(MemoryRecords records, short acks) {
        Leadership current = leadership;
        if (!current.leader()) {
            throw new ApiError(Errors.NOT_LEADER_OR_FOLLOWER,
                    "broker " + brokerId + " is not the leader of " + topicPartition);
        }
        if (acks == -1 && current.isr().size() < minInsyncReplicas) {
            throw new ApiError(Errors.NOT_ENOUGH_REPLICAS, "ISR " + current.isr() + " of " + topicPartition
                    + " is smaller than min.insync.replicas=" + minInsyncReplicas);
        }
        Iterator<MutableRecordBatch> batches = records.batches().iterator();
        MutableRecordBatch first = batches.hasNext() ? batches.next() : null;
        Optional<ProducerStateTable.WrittenBatch> duplicate = checkProducer(first);
        if (duplicate.isPresent()) {
            ProducerStateTable.WrittenBatch earlier = duplicate.get();
            log.debug("Broker {}: {} already holds producer {}'s batch {}..{} at offset {}; not written again",
                    brokerId, topicPartition, first.producerId(), earlier.firstSequence(), earlier.lastSequence(),
                    earlier.firstOffset());
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
        advanceHighWatermark();
        return appended;
    }

    /**
     * Idempotent producers send one batch per partition per request, so the request's first batch
     * decides: a retry of a batch already written, or a sequence the producer may not send. Its CRC is
     * checked first, so a corrupt batch is never mistaken for a duplicate.
     */
    private Optional<ProducerStateTable.WrittenBatch> checkProducer(MutableRecordBatch first) {
        if (first == null || !first.hasProducerId() || !first.isValid()) {
            return Optional.empty();
        }
        return producerStates.check(first);
    }

    /**
     * The high watermark is the smallest log end offset in the ISR. Until followers fetch (the
     * replication issue), the ISR is the leader alone, so it is the leader's log end offset.
     */
    private void advanceHighWatermark() {
        long next = partitionLog.logEndOffset();
        if (next != highWatermark) {
            highWatermark = next;
            notifyDataListeners();
        }
    }

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

    /** Registers a callback run whenever committed data or the role changes (wakes waiting fetches). */
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

    void closeLog() {
        try {
            partitionLog.close();
        } catch (Exception e) {
            log.warn("Broker {}: closing the log of {} failed", brokerId, topicPartition, e);
        }
    }
}
