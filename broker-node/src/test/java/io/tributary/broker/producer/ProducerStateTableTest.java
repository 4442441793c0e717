package io.tributary.broker.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.protocol.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {

    private static final long PID = 4242;

    private final ProducerStateTable table = new ProducerStateTable();

    /** A batch of {@code count} records from producer {@link #PID} starting at {@code sequence}. */
    private static RecordBatch batch(short epoch, int sequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("r" + (sequence + i)).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, PID, epoch, sequence, records).batches().iterator().next();
    }

    private void written(RecordBatch batch, long firstOffset) {
        assertEquals(Optional.empty(), table.check(batch));
        table.record(batch, firstOffset, firstOffset + batch.lastSequence() - batch.baseSequence());
    }

    @Test
    void aRetriedBatchIsRecognisedWithItsOriginalOffsets() {
        written(batch((short) 0, 0, 3), 100);
        written(batch((short) 0, 3, 2), 103);
        Optional<ProducerStateTable.WrittenBatch> retry = table.check(batch((short) 0, 0, 3));
        assertEquals(Optional.of(new ProducerStateTable.WrittenBatch(0, 2, 100, 102)), retry);
        assertEquals(Optional.of(new ProducerStateTable.WrittenBatch(3, 4, 103, 104)), table.check(batch((short) 0, 3, 2)));
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        for (int i = 0; i < 6; i++) {
            written(batch((short) 0, i, 1), i);
        }
        // The oldest (sequence 0) fell out of the window: it is now simply out of order.
        ApiError error = assertThrows(ApiError.class, () -> table.check(batch((short) 0, 0, 1)));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, error.error());
        assertTrue(table.check(batch((short) 0, 1, 1)).isPresent());
    }

    @Test
    void aSequenceGapIsRefused() {
        written(batch((short) 0, 0, 2), 0);
        ApiError error = assertThrows(ApiError.class, () -> table.check(batch((short) 0, 5, 1)));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, error.error());
        assertEquals(Optional.empty(), table.check(batch((short) 0, 2, 1)));
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochStartsAtZero() {
        written(batch((short) 1, 0, 1), 0);
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, assertThrows(ApiError.class, () -> table.check(batch((short) 0, 1, 1))).error());
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, assertThrows(ApiError.class, () -> table.check(batch((short) 2, 7, 1))).error());
        written(batch((short) 2, 0, 1), 1);
        // The new epoch's history replaced the old one.
        assertEquals(Optional.empty(), table.check(batch((short) 2, 1, 1)));
    }

    @Test
    void anUnknownProducerAndPlainBatchesPass() {
        assertEquals(Optional.empty(), table.check(batch((short) 0, 17, 1)));
        RecordBatch plain = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("x".getBytes(StandardCharsets.UTF_8)))
                .batches().iterator().next();
        assertEquals(Optional.empty(), table.check(plain));
    }
}
