package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogRecoveryTest {
    @TempDir
    Path tmp;

    private final LogConfig config = LogConfig.defaults().withOverrides(Map.of("index.interval.bytes", "100"));

    /** Writes batches a (3 records), b (3 records, gzip), c (3 records) and returns c's file position. */
    private long writeThreeBatches(Path dir) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            log.appendAsLeader(batch(Compression.gzip().build(), 200, "b", 3), 0, 0);
            long before = Files.size(segment(dir));
            log.appendAsLeader(batch(300, "c", 3), 0, 0);
            return before;
        }
    }

    private static Path segment(Path dir) {
        return dir.resolve("00000000000000000000.log");
    }

    private static List<TestBatches.Rec> firstTwoBatches() {
        List<TestBatches.Rec> want = new ArrayList<>(expected(0, 100, "a", 3));
        want.addAll(expected(3, 200, "b", 3));
        return want;
    }

    private void assertRecoveredToTwoBatchesAndAppendable(Path dir) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            assertEquals(6, log.logEndOffset());
            assertEquals(firstTwoBatches(), decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
            AppendResult next = log.appendAsLeader(batch(400, "d", 2), 0, 0);
            assertEquals(6, next.firstOffset());
            List<TestBatches.Rec> want = firstTwoBatches();
            want.addAll(expected(6, 400, "d", 2));
            assertEquals(want, decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        }
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            assertEquals(8, log.logEndOffset(), "the appends after recovery survive a reopen");
        }
    }

    @Test
    void aBatchCutMidWayIsDroppedAndEverythingBeforeItKept() throws Exception {
        Path dir = tmp.resolve("t-0");
        long cPosition = writeThreeBatches(dir);
        try (FileChannel ch = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
            ch.truncate(cPosition + 30); // inside c's header
        }
        assertRecoveredToTwoBatchesAndAppendable(dir);
    }

    @Test
    void aBatchCutAfterItsHeaderIsDropped() throws Exception {
        Path dir = tmp.resolve("t-0");
        writeThreeBatches(dir);
        try (FileChannel ch = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        assertRecoveredToTwoBatchesAndAppendable(dir);
    }

    @Test
    void aCorruptByteInsideTheLastBatchDropsIt() throws Exception {
        Path dir = tmp.resolve("t-0");
        writeThreeBatches(dir);
        try (FileChannel ch = FileChannel.open(segment(dir), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = ch.size() - 3; // inside the last record's value
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, position);
        }
        assertRecoveredToTwoBatchesAndAppendable(dir);
    }

    @Test
    void zeroBytesAppendedAfterTheLastBatchAreDropped() throws Exception {
        Path dir = tmp.resolve("t-0");
        writeThreeBatches(dir);
        try (FileChannel ch = FileChannel.open(segment(dir), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(100), ch.size()); // a preallocated or half-flushed tail
        }
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            assertEquals(9, log.logEndOffset());
            List<TestBatches.Rec> want = firstTwoBatches();
            want.addAll(expected(6, 300, "c", 3));
            assertEquals(want, decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        }
    }
}
