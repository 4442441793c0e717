package io.tributary.broker.log;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The batches of one append request after batch-level validation. Every check reads the batch header or
 * the CRC only: records of compressed batches are never decompressed on the write path.
 */
record ValidatedBatches(List<MutableRecordBatch> batches, int sizeInBytes, long messageCount) {

    /**
     * Checks every batch before anything is written, so a bad batch refuses the whole request.
     *
     * @param maxBatchBytes the largest batch accepted ({@code max.message.bytes}), or -1 for no limit
     * @throws InvalidRecordBatchException naming the check, the batch and the value that failed
     */
    static ValidatedBatches validate(MemoryRecords records, int maxBatchBytes, String topicPartition) {
        return validate(records, maxBatchBytes, topicPartition, true);
    }

    /**
     * As {@link #validate(MemoryRecords, int, String)}; {@code exactCounts} false accepts batches copied from a
     * leader whose log cleaner removed records: fewer records than the offsets they span, or none at all (an
     * empty batch kept for its producer state or offset range, as Kafka's cleaner keeps them).
     */
    static ValidatedBatches validate(MemoryRecords records, int maxBatchBytes, String topicPartition,
                                     boolean exactCounts) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        int bytes = 0;
        long messages = 0;
        try {
            for (MutableRecordBatch batch : records.batches()) {
                int index = batches.size();
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    throw invalid(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT, topicPartition, index,
                            "magic " + batch.magic() + " is not supported, only v2 batches (magic 2) are");
                }
                int size = batch.sizeInBytes();
                if (maxBatchBytes >= 0 && size > maxBatchBytes) {
                    throw invalid(Errors.MESSAGE_TOO_LARGE, topicPartition, index,
                            "size " + size + " exceeds max.message.bytes " + maxBatchBytes);
                }
                if (!batch.isValid()) {
                    throw invalid(Errors.CORRUPT_MESSAGE, topicPartition, index,
                            "CRC " + batch.checksum() + " does not match its contents (or the batch is shorter "
                                    + "than its header)");
                }
                Integer count = batch.countOrNull();
                int lastOffsetDelta = (int) (batch.lastOffset() - batch.baseOffset());
                if (!exactCounts && count != null && count >= 0 && lastOffsetDelta >= count - 1) {
                    bytes += size;
                    messages += count;
                    batches.add(batch);
                    continue;
                }
                if (count == null || count <= 0) {
                    throw invalid(Errors.INVALID_RECORD, topicPartition, index, "record count " + count
                            + " is not positive: an empty batch carries nothing to append");
                }
                // Offsets are assigned as base + lastOffsetDelta; a delta that disagrees with the count means
                // the client numbered its records wrongly (Kafka's LogValidator refuses these too).
                if (lastOffsetDelta != count - 1) {
                    throw invalid(Errors.INVALID_RECORD, topicPartition, index, "lastOffsetDelta "
                            + lastOffsetDelta + " does not match record count " + count);
                }
                bytes += size;
                messages += count;
                batches.add(batch);
            }
        } catch (CorruptRecordException e) {
            // Thrown by the batch iterator for a size field below the v2 header size.
            throw invalid(Errors.CORRUPT_MESSAGE, topicPartition, batches.size(), e.getMessage());
        }
        if (batches.isEmpty()) {
            throw new InvalidRecordBatchException(Errors.INVALID_RECORD,
                    "append to " + topicPartition + " carries no complete record batch (" + records.sizeInBytes()
                            + " bytes)");
        }
        if (bytes != records.sizeInBytes()) {
            // The iterator silently stops at a partial trailing batch; storing it would tear the log.
            throw invalid(Errors.CORRUPT_MESSAGE, topicPartition, batches.size(), "trailing "
                    + (records.sizeInBytes() - bytes) + " bytes do not form a complete batch");
        }
        return new ValidatedBatches(batches, bytes, messages);
    }

    private static InvalidRecordBatchException invalid(Errors error, String topicPartition, int index,
                                                       String what) {
        return new InvalidRecordBatchException(error,
                "append to " + topicPartition + " refused: batch #" + index + " " + what);
    }
}
