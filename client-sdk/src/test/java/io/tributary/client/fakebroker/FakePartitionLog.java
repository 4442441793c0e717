package io.tributary.client.fakebroker;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition's records, shared by every fake broker (as if replicated), with the broker's idempotence
 * rules (KIP-98): per producer id the epoch and the last five batches, a retry answered with its first
 * offset, a gap refused with OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch with INVALID_PRODUCER_EPOCH, and
 * an unknown producer accepted at any sequence (what Tributary's broker does).
 */
final class FakePartitionLog {
    record Appended(Errors error, long baseOffset) {
    }

    private record Written(int firstSequence, int lastSequence, long baseOffset) {
    }

    private static final class Producer {
        short epoch;
        final ArrayDeque<Written> batches = new ArrayDeque<>();
    }

    private final List<String> values = new ArrayList<>();
    private final Map<Long, Producer> producers = new HashMap<>();

    synchronized Appended append(RecordBatch batch, List<String> batchValues) {
        if (batch.hasProducerId()) {
            Producer p = producers.get(batch.producerId());
            if (p != null) {
                if (batch.producerEpoch() < p.epoch) {
                    return new Appended(Errors.INVALID_PRODUCER_EPOCH, -1);
                }
                if (batch.producerEpoch() == p.epoch) {
                    for (Written w : p.batches) {
                        if (w.firstSequence() == batch.baseSequence() && w.lastSequence() == batch.lastSequence()) {
                            return new Appended(Errors.NONE, w.baseOffset());
                        }
                    }
                    int expected = p.batches.isEmpty() ? 0 : p.batches.peekLast().lastSequence() + 1;
                    if (batch.baseSequence() != expected) {
                        return new Appended(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
                    }
                } else if (batch.baseSequence() != 0) {
                    return new Appended(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
                }
            }
        }
        long baseOffset = values.size();
        values.addAll(batchValues);
        if (batch.hasProducerId()) {
            Producer p = producers.computeIfAbsent(batch.producerId(), id -> new Producer());
            if (p.epoch != batch.producerEpoch()) {
                p.epoch = batch.producerEpoch();
                p.batches.clear();
            }
            p.batches.addLast(new Written(batch.baseSequence(), batch.lastSequence(), baseOffset));
            while (p.batches.size() > 5) {
                p.batches.removeFirst();
            }
        }
        return new Appended(Errors.NONE, baseOffset);
    }

    /** Forgets every producer, as a leader elected without the producers' state would. */
    synchronized void forgetProducers() {
        producers.clear();
    }

    synchronized List<String> values() {
        return List.copyOf(values);
    }
}
