package io.tributary.broker.producer;

import io.tributary.broker.protocol.ApiError;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What an idempotent producer has written to one partition: per producer id, its epoch and its last
 * five batches (sequence range and offsets), as Kafka keeps them (KIP-98). A retried batch that is already
 * in the log is recognised and answered with its original offsets instead of being written again; a
 * sequence gap or a fenced epoch is refused. Five is what the Java producer may have in flight.
 *
 * <p>Not thread-safe: used only on its partition's writer, like the log itself.
 */
public final class ProducerStateTable {

    static final int BATCHES_KEPT = 5;

    /** One batch a producer wrote, where it landed. */
    public record WrittenBatch(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {}

    private static final class ProducerEntry {
        short epoch;
        final ArrayDeque<WrittenBatch> batches = new ArrayDeque<>();

        int lastSequence() {
            return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSequence();
        }
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /**
     * Checks a batch before it is written. Returns the earlier write when it is a retry of a batch
     * already in the log; empty when it may be written; throws an ApiError when it must be refused.
     * Batches without a producer id always pass.
     */
    public Optional<WrittenBatch> check(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        ProducerEntry entry = producers.get(batch.producerId());
        if (entry == null) {
            // Unknown here (new, or older than what this broker remembers): nothing to compare against.
            return Optional.empty();
        }
        if (batch.producerEpoch() < entry.epoch) {
            throw new ApiError(Errors.INVALID_PRODUCER_EPOCH, "producer " + batch.producerId() + " epoch "
                    + batch.producerEpoch() + " is older than the current " + entry.epoch);
        }
        if (batch.producerEpoch() > entry.epoch) {
            if (batch.baseSequence() != 0) {
                throw new ApiError(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId() + " starts epoch "
                        + batch.producerEpoch() + " at sequence " + batch.baseSequence() + ", not 0");
            }
            return Optional.empty();
        }
        for (WrittenBatch written : entry.batches) {
            if (written.firstSequence() == batch.baseSequence() && written.lastSequence() == batch.lastSequence()) {
                return Optional.of(written);
            }
        }
        int expected = nextSequence(entry.lastSequence());
        if (batch.baseSequence() != expected) {
            throw new ApiError(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + batch.producerId() + " sent sequence "
                    + batch.baseSequence() + " where " + expected + " was expected");
        }
        return Optional.empty();
    }

    /** Remembers a batch once it is in the log, with the offsets it was given. */
    public void record(RecordBatch batch, long firstOffset, long lastOffset) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry());
        if (batch.producerEpoch() != entry.epoch) {
            entry.epoch = batch.producerEpoch();
            entry.batches.clear();
        }
        entry.batches.addLast(new WrittenBatch(batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset));
        while (entry.batches.size() > BATCHES_KEPT) {
            entry.batches.removeFirst();
        }
    }

    /** Forgets everything: the log was truncated or emptied, and the table is rebuilt from what remains. */
    public void clear() {
        producers.clear();
    }

    private static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }
}
