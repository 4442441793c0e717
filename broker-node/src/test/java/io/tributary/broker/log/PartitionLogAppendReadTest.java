package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.baseOffsets;
import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.bytes;
import static io.tributary.broker.log.TestBatches.concat;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PartitionLogAppendReadTest {
    @TempDir
    Path tmp;
    private PartitionLog log;

    @BeforeEach
    void open() throws Exception {
        log = PartitionLog.open(tmp.resolve("orders.eu-0"), "orders.eu", 0, LogConfig.defaults());
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void appendAssignsContiguousOffsetsAndReadReturnsKeysValuesHeadersTimestamps() {
        AppendResult first = log.appendAsLeader(batch(1_000, "a", 3), 5, 2_000);
        AppendResult second = log.appendAsLeader(concat(batch(1_100, "b", 2), batch(1_200, "c", 4)), 5, 2_000);

        assertEquals(new AppendResult(0, 2, 1_002, -1, 1, first.bytes()), first);
        assertEquals(3, second.firstOffset());
        assertEquals(8, second.lastOffset());
        assertEquals(1_203, second.maxTimestamp());
        assertEquals(2, second.batchCount());
        assertEquals(9, log.logEndOffset());

        LogReadResult read = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE);
        List<TestBatches.Rec> want = new ArrayList<>(expected(0, 1_000, "a", 3));
        want.addAll(expected(3, 1_100, "b", 2));
        want.addAll(expected(5, 1_200, "c", 4));
        assertEquals(want, decode(read.records()));
        assertEquals(List.of(0L, 3L, 5L), baseOffsets(read.records()));
        for (RecordBatch b : read.records().batches()) {
            assertEquals(5, b.partitionLeaderEpoch());
        }
        assertEquals(0, read.logStartOffset());
        assertEquals(9, read.logEndOffset());
        assertTrue(read.records() instanceof FileRecords, "a read is a zero-copy slice of the segment");
        FileRegion region = read.fileRegion().orElseThrow();
        assertEquals(0, region.position());
        assertEquals(read.records().sizeInBytes(), region.length());
        assertEquals(log.dir().resolve("00000000000000000000.log"), region.file());
    }

    static Stream<Arguments> compressions() {
        return Stream.of(Arguments.of(Compression.NONE), Arguments.of(Compression.gzip().build()),
                Arguments.of(Compression.lz4().build()), Arguments.of(Compression.zstd().build()),
                Arguments.of(Compression.snappy().build()));
    }

    @ParameterizedTest
    @MethodSource("compressions")
    void batchesAreStoredVerbatimExceptBaseOffsetAndLeaderEpoch(Compression compression) throws Exception {
        log.appendAsLeader(batch(compression, 10, "pre", 2), 1, 100);
        MemoryRecords produced = batch(compression, 5_000, "z", 50);
        byte[] original = bytes(produced);
        AppendResult result = log.appendAsLeader(produced, 7, 100);

        byte[] onDisk = Files.readAllBytes(log.dir().resolve("00000000000000000000.log"));
        int position = onDisk.length - original.length;
        byte[] stored = java.util.Arrays.copyOfRange(onDisk, position, onDisk.length);
        byte[] want = original.clone();
        ByteBuffer.wrap(want).putLong(0, 2L).putInt(12, 7); // baseOffset at 0, partitionLeaderEpoch at 12
        assertArrayEquals(want, stored);
        assertEquals(2, result.firstOffset());
        assertEquals(51, result.lastOffset());

        LogReadResult read = log.read(2, Integer.MAX_VALUE, Long.MAX_VALUE);
        RecordBatch batch = read.records().batches().iterator().next();
        assertEquals(compression.type(), batch.compressionType());
        assertEquals(expected(2, 5_000, "z", 50), decode(read.records()));
    }

    @Test
    void readFromTheMiddleOfABatchReturnsTheWholeBatch() {
        log.appendAsLeader(batch(0, "a", 5), 0, 0);
        log.appendAsLeader(batch(0, "b", 5), 0, 0);
        LogReadResult read = log.read(7, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(List.of(5L), baseOffsets(read.records()));
        assertEquals(expected(5, 0, "b", 5), decode(read.records()));
        assertEquals(List.of(0L, 5L), baseOffsets(log.read(4, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
    }

    @Test
    void maxBytesReturnsWholeBatchesAndAtLeastOneBatch() {
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(0, "b" + i, 10), 0, 0);
        }
        int batchSize = log.read(0, 1, Long.MAX_VALUE).records().sizeInBytes();
        assertTrue(batchSize > 1, "KIP-74: the first batch comes even though it exceeds maxBytes");
        assertEquals(List.of(0L), baseOffsets(log.read(0, 1, Long.MAX_VALUE).records()));
        assertEquals(List.of(0L, 10L), baseOffsets(log.read(0, 2 * batchSize + batchSize / 2, Long.MAX_VALUE).records()));
        assertEquals(List.of(10L, 20L, 30L), baseOffsets(log.read(15, 3 * batchSize, Long.MAX_VALUE).records()));
        assertSame(MemoryRecords.EMPTY, log.read(0, 1, Long.MAX_VALUE, false).records(),
                "without minOneBatch nothing fits in one byte");
    }

    @Test
    void readNeverReturnsABatchAtOrBeyondMaxOffsetExclusive() {
        log.appendAsLeader(batch(0, "a", 3), 0, 0);
        log.appendAsLeader(batch(0, "b", 3), 0, 0);
        log.appendAsLeader(batch(0, "c", 3), 0, 0);
        assertEquals(List.of(0L, 3L), baseOffsets(log.read(0, Integer.MAX_VALUE, 6).records()));
        assertEquals(List.of(0L, 3L), baseOffsets(log.read(0, Integer.MAX_VALUE, 4).records()),
                "a batch that starts below the limit is returned whole");
        assertSame(MemoryRecords.EMPTY, log.read(6, Integer.MAX_VALUE, 6).records());
        assertSame(MemoryRecords.EMPTY, log.read(9, Integer.MAX_VALUE, Long.MAX_VALUE).records(),
                "reading at the log end offset is valid and empty");
    }

    @Test
    void readOutsideTheLogThrowsWithBothBounds() {
        log.appendAsLeader(batch(0, "a", 3), 0, 0);
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                () -> log.read(4, 100, Long.MAX_VALUE));
        assertEquals(4, e.requestedOffset());
        assertEquals(0, e.logStartOffset());
        assertEquals(3, e.logEndOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(-1, 100, Long.MAX_VALUE));
    }

    @Test
    void logAppendTimeBatchesGetTheBrokerTime() {
        MemoryRecords records = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
                org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME,
                new org.apache.kafka.common.record.SimpleRecord(5L, "v".getBytes()));
        AppendResult result = log.appendAsLeader(records, 0, 77_000);
        assertEquals(77_000, result.logAppendTimeMs());
        RecordBatch stored = log.read(0, 1000, Long.MAX_VALUE).records().batches().iterator().next();
        stored.ensureValid();
        assertEquals(77_000, stored.maxTimestamp());
    }

    @Test
    void reopenAfterCloseKeepsEverything() throws Exception {
        log.appendAsLeader(batch(100, "a", 3), 2, 0);
        log.appendAsLeader(batch(200, "b", 4), 2, 0);
        log.close();
        log = PartitionLog.open(tmp.resolve("orders.eu-0"), "orders.eu", 0, LogConfig.defaults());
        assertEquals(7, log.logEndOffset());
        List<TestBatches.Rec> want = new ArrayList<>(expected(0, 100, "a", 3));
        want.addAll(expected(3, 200, "b", 4));
        assertEquals(want, decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        assertEquals(7, log.appendAsLeader(batch(300, "c", 1), 2, 0).firstOffset());
    }
}
