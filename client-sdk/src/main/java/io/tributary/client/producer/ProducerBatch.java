package io.tributary.client.producer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records for one partition that travel in one v2 record batch. Built with base offset 0, so record i
 * has offset delta i; the broker rewrites the base offset and answers with it, and record i's offset
 * is then {@code baseOffset + i}. Mutated under the accumulator's lock until drained, then only by the
 * sender and response path.
 *
 * <p>An idempotent producer stamps its producer id, epoch and the partition's base sequence on the batch
 * when it is first drained, before the bytes are built, so the batch CRC covers them. The built bytes
 * are kept: every retry sends exactly the same batch, which is what lets the broker recognise it.
 */
final class ProducerBatch {
    private record Pending(CompletableFuture<RecordMetadata> future, long timestamp) {
    }

    private static final AtomicLong CREATION_ORDER = new AtomicLong();

    final TopicPartition topicPartition;
    final long createdMs;
    /** Creation order, finer than createdMs: batches of one partition made in the same millisecond stay ordered. */
    final long creationOrder = CREATION_ORDER.getAndIncrement();
    private final MemoryRecordsBuilder builder;
    private final List<Pending> pending = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private MemoryRecords built;
    private long reservedBytes;
    private int attempts;
    private long retryAfterMs;
    private TributaryException lastError;
    private ProducerIdAndEpoch producerIdentity;
    private int baseSequence = RecordBatch.NO_SEQUENCE;

    /**
     * @param capacity  the initial buffer: batch.size, or the first record's size when that is larger
     * @param batchSize the write limit: once the batch holds this many (estimated) bytes it takes no more
     *                  records, so a record larger than batch.size travels alone
     */
    ProducerBatch(TopicPartition topicPartition, Compression compression, int capacity, int batchSize, long nowMs) {
        this.topicPartition = topicPartition;
        this.createdMs = nowMs;
        this.builder = new MemoryRecordsBuilder(ByteBuffer.allocate(capacity), RecordBatch.CURRENT_MAGIC_VALUE, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false, false,
                RecordBatch.NO_PARTITION_LEADER_EPOCH, batchSize);
    }

    /** Appends if the batch has room (an empty batch always has). */
    boolean tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers,
                      CompletableFuture<RecordMetadata> future, long reserved) {
        if (built != null || !builder.hasRoomFor(timestamp, key, value, headers)) {
            return false;
        }
        builder.append(timestamp, key, value, headers);
        pending.add(new Pending(future, timestamp));
        reservedBytes += reserved;
        return true;
    }

    boolean isFull() {
        return built != null || builder.isFull();
    }

    int recordCount() {
        return pending.size();
    }

    long reservedBytes() {
        return reservedBytes;
    }

    /** The finished batch; the first call closes it for appends. */
    MemoryRecords records() {
        if (built == null) {
            builder.closeForRecordAppends();
            built = builder.build();
        }
        return built;
    }

    /**
     * Stamps the idempotent producer's identity and this batch's first sequence; once only, before the
     * batch is built.
     */
    void setProducerState(ProducerIdAndEpoch identity, int baseSequence) {
        if (built != null || this.baseSequence != RecordBatch.NO_SEQUENCE) {
            throw new IllegalStateException("The batch for " + topicPartition + " already has its producer state");
        }
        builder.setProducerState(identity.producerId(), identity.epoch(), baseSequence, false);
        this.producerIdentity = identity;
        this.baseSequence = baseSequence;
    }

    boolean hasSequence() {
        return baseSequence != RecordBatch.NO_SEQUENCE;
    }

    /** The identity whose sequence the batch carries, or null if it has none. */
    ProducerIdAndEpoch producerIdentity() {
        return producerIdentity;
    }

    int baseSequence() {
        return baseSequence;
    }

    int sizeInBytes() {
        return built != null ? built.sizeInBytes() : builder.estimatedSizeInBytes();
    }

    CompletableFuture<Void> done() {
        return done;
    }

    int attempts() {
        return attempts;
    }

    long retryAfterMs() {
        return retryAfterMs;
    }

    TributaryException lastError() {
        return lastError;
    }

    void prepareRetry(long retryAfterMs, TributaryException error) {
        this.attempts++;
        this.retryAfterMs = retryAfterMs;
        this.lastError = error;
    }

    /**
     * @param logAppendTimeMs -1 unless the topic stamps LogAppendTime, in which case it replaces each
     *                        record's own timestamp
     * @return false if the batch was already finished (a forced close raced with its response)
     */
    boolean complete(long baseOffset, long logAppendTimeMs) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : p.timestamp();
            p.future().complete(new RecordMetadata(topicPartition.topic(), topicPartition.partition(), offset, timestamp));
        }
        done.complete(null);
        return true;
    }

    /** @return false if the batch was already finished */
    boolean fail(TributaryException error) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        for (Pending p : pending) {
            p.future().completeExceptionally(error);
        }
        done.complete(null);
        return true;
    }

    boolean isDone() {
        return done.isDone();
    }
}
