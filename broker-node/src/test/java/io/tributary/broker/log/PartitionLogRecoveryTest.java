package io.tributary.broker.log;

import static io.tributary.broker.log.DiskFaults.crashCopy;
import static io.tributary.broker.log.DiskFaults.cut;
import static io.tributary.broker.log.DiskFaults.flipByte;
import static io.tributary.broker.log.DiskFaults.segmentFile;
import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Torn and corrupt tails after a crash, and after a clean shutdown whose files were damaged later. */
class PartitionLogRecoveryTest {
    @TempDir
    Path tmp;

    private final LogConfig config = LogConfig.defaults().withOverrides(Map.of("index.interval.bytes", "100"));

    /**
     * Writes batches a (3 records), b (3 records, gzip), c (3 records), none flushed, and leaves in
     * {@code tmp/crashed/t-0} what a kill -9 right after them leaves. Returns c's file position.
     */
    private long writeThreeBatchesAndCrash() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp.resolve("live/t-0"), "t", 0, config)) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            log.appendAsLeader(batch(Compression.gzip().build(), 200, "b", 3), 0, 0);
            long before = log.sizeInBytes();
            log.appendAsLeader(batch(300, "c", 3), 0, 0);
            crashCopy(log.dir(), crashed());
            return before;
        }
    }

    private Path crashed() {
        return tmp.resolve("crashed/t-0");
    }

    private static List<TestBatches.Rec> firstTwoBatches() {
        List<TestBatches.Rec> want = new ArrayList<>(expected(0, 100, "a", 3));
        want.addAll(expected(3, 200, "b", 3));
        return want;
    }

    private void assertRecoveredToTwoBatchesAndAppendable(Path dir) throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            assertEquals(6, log.logEndOffset());
            assertTrue(log.loadSummary().bytesTruncated() > 0, log.loadSummary().toString());
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
        long cPosition = writeThreeBatchesAndCrash();
        cut(segmentFile(crashed(), 0), cPosition + 30); // inside c's header
        assertRecoveredToTwoBatchesAndAppendable(crashed());
    }

    @Test
    void aBatchCutAfterItsHeaderIsDropped() throws Exception {
        writeThreeBatchesAndCrash();
        cut(segmentFile(crashed(), 0), Files.size(segmentFile(crashed(), 0)) - 5);
        assertRecoveredToTwoBatchesAndAppendable(crashed());
    }

    @Test
    void aCorruptByteInsideTheLastBatchDropsIt() throws Exception {
        writeThreeBatchesAndCrash();
        flipByte(segmentFile(crashed(), 0), Files.size(segmentFile(crashed(), 0)) - 3); // the last record's bytes
        assertRecoveredToTwoBatchesAndAppendable(crashed());
    }

    @Test
    void zeroBytesAppendedAfterTheLastBatchAreDropped() throws Exception {
        writeThreeBatchesAndCrash();
        try (FileChannel ch = FileChannel.open(segmentFile(crashed(), 0), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(100), ch.size()); // a preallocated or half-flushed tail
        }
        try (PartitionLog log = PartitionLog.open(crashed(), "t", 0, config)) {
            assertEquals(9, log.logEndOffset());
            assertEquals(100, log.loadSummary().bytesTruncated());
            List<TestBatches.Rec> want = firstTwoBatches();
            want.addAll(expected(6, 300, "c", 3));
            assertEquals(want, decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        }
    }

    /**
     * A clean shutdown skips the CRC scan, but a file whose batch headers do not end exactly at its end
     * (damaged after the shutdown, or copied half) fails the cheap checks and is recovered all the same.
     */
    @Test
    void afterACleanShutdownAFileWhoseBatchesDoNotFillItIsStillRecovered() throws Exception {
        Path dir = tmp.resolve("t-0");
        long cPosition;
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            log.appendAsLeader(batch(Compression.gzip().build(), 200, "b", 3), 0, 0);
            cPosition = log.sizeInBytes();
            log.appendAsLeader(batch(300, "c", 3), 0, 0);
        }
        assertTrue(Files.exists(dir.resolve(CleanShutdownMarker.FILE_NAME)));
        cut(segmentFile(dir, 0), cPosition + 70); // c's header is whole, its records are not
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, config)) {
            assertTrue(log.loadSummary().cleanShutdown());
            assertEquals(1, log.loadSummary().segmentsRecovered());
            assertEquals(6, log.logEndOffset());
            assertEquals(firstTwoBatches(), decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
            assertFalse(Files.exists(dir.resolve(CleanShutdownMarker.FILE_NAME)), "removed while the log is open");
        }
    }
}
