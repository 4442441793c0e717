package io.tributary.broker.log;

import java.util.List;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * The one record-level check of the produce path: a compacted topic refuses records without a key with
 * INVALID_RECORD, as Kafka's LogValidator does, since the cleaner could never decide which of them is the
 * latest. It decompresses the batches, which the write path otherwise never does: only for compacted topics.
 */
final class CompactedAppendCheck {
    private CompactedAppendCheck() {
    }

    /** @throws InvalidRecordBatchException (INVALID_RECORD) naming the partition and the batch */
    static void requireKeys(List<MutableRecordBatch> batches, String topicPartition) {
        for (int i = 0; i < batches.size(); i++) {
            MutableRecordBatch batch = batches.get(i);
            if (batch.isControlBatch()) {
                continue;
            }
            try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (records.hasNext()) {
                    if (!records.next().hasKey()) {
                        throw new InvalidRecordBatchException(Errors.INVALID_RECORD, "Compacted topic cannot accept "
                                + "message without key in topic partition " + topicPartition + " (batch #" + i + ")");
                    }
                }
            }
        }
    }
}
