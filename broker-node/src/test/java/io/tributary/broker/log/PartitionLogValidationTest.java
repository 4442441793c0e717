package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.concat;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogValidationTest {
    @TempDir
    Path tmp;
    private PartitionLog log;
    private long sizeBefore;

    @BeforeEach
    void open() throws Exception {
        log = PartitionLog.open(tmp.resolve("t-0"), "t", 0,
                LogConfig.defaults().withOverrides(Map.of("max.message.bytes", "2000")));
        log.appendAsLeader(batch(10, "ok", 2), 0, 0);
        sizeBefore = Files.size(log.dir().resolve("00000000000000000000.log"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void assertNothingWritten() throws Exception {
        assertEquals(2, log.logEndOffset());
        assertEquals(sizeBefore, Files.size(log.dir().resolve("00000000000000000000.log")));
        assertEquals(expected(0, 10, "ok", 2), decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        assertEquals(2, log.appendAsLeader(batch(20, "after", 1), 0, 0).firstOffset(), "the log still appends");
    }

    @Test
    void aWrongCrcInTheSecondBatchRefusesTheWholeRequest() throws Exception {
        MemoryRecords good = batch(1, "g", 2);
        MemoryRecords bad = batch(1, "x", 2);
        ByteBuffer buf = bad.buffer();
        int last = buf.limit() - 1;
        buf.put(last, (byte) (buf.get(last) ^ 1));
        InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                () -> log.appendAsLeader(concat(good, bad), 0, 0));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        assertTrue(e.getMessage().contains("batch #1") && e.getMessage().contains("CRC"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void magicOneIsRefused() throws Exception {
        InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                () -> log.appendAsLeader(concat(batch(1, "g", 1), TestBatches.legacyBatch()), 0, 0));
        assertTrue(e.getMessage().contains("magic 1"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void aBatchOverMaxMessageBytesIsRefused() throws Exception {
        InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                () -> log.appendAsLeader(sizedBatch(1, "big", 2500), 0, 0));
        assertEquals(Errors.MESSAGE_TOO_LARGE, e.error());
        assertTrue(e.getMessage().contains("max.message.bytes 2000"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void aTrailingPartialBatchIsRefused() throws Exception {
        MemoryRecords whole = concat(batch(1, "g", 1), batch(1, "h", 1));
        ByteBuffer cut = whole.buffer().duplicate();
        cut.limit(cut.limit() - 7);
        InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                () -> log.appendAsLeader(MemoryRecords.readableRecords(cut.slice()), 0, 0));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void anEmptyRequestIsRefused() throws Exception {
        assertThrows(InvalidRecordBatchException.class, () -> log.appendAsLeader(MemoryRecords.EMPTY, 0, 0));
        assertNothingWritten();
    }

    @Test
    void aLastOffsetDeltaThatDisagreesWithTheCountIsRefused() throws Exception {
        MemoryRecords bad = batch(1, "x", 3);
        ByteBuffer buf = bad.buffer();
        buf.putInt(23, 7); // lastOffsetDelta; it is under the CRC, so recompute the CRC as a buggy client would
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(buf.duplicate().position(21));
        buf.putInt(17, (int) crc.getValue());
        InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                () -> log.appendAsLeader(bad, 0, 0));
        assertTrue(e.getMessage().contains("lastOffsetDelta 7"), e.getMessage());
        assertNothingWritten();
    }
}
