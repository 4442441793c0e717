package io.tributary.broker.log;

import static io.tributary.broker.log.DiskFaults.crashCopy;
import static io.tributary.broker.log.DiskFaults.flipByte;
import static io.tributary.broker.log.DiskFaults.segmentFile;
import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean and unclean restarts: the clean-shutdown marker lets an open skip the CRC scan, the recovery point
 * bounds what a crash makes it check, a roll flushes and truncation lowers the point.
 */
class LogRestartTest {
    @TempDir
    Path tmp;

    /** 300-byte single-record batches, three to a segment. */
    private static final LogConfig THREE_PER_SEGMENT = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", "1000", "index.interval.bytes", "100"));

    private static long storedRecoveryPoint(Path dir) throws Exception {
        return new RecoveryPointCheckpoint(dir, "t-0").read().orElseThrow();
    }

    @Test
    void aCleanRestartTrustsTheFilesWhileACrashMakesTheOpenCheckEveryUnflushedBatch() throws Exception {
        Path live = tmp.resolve("live/t-0");
        long lastBatchPosition;
        try (PartitionLog log = PartitionLog.open(live, "t", 0, LogConfig.defaults())) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            lastBatchPosition = log.sizeInBytes();
            log.appendAsLeader(batch(200, "b", 3), 0, 0);
            assertFalse(Files.exists(live.resolve(CleanShutdownMarker.FILE_NAME)), "an open log is never marked clean");
            crashCopy(live, tmp.resolve("crashed/t-0"));
        }
        assertTrue(Files.exists(live.resolve(CleanShutdownMarker.FILE_NAME)), "a clean close leaves the marker");
        Path crashed = tmp.resolve("crashed/t-0");
        // The same damage in both copies: one byte inside b's records, which only b's CRC covers.
        flipByte(segmentFile(live, 0), lastBatchPosition + 80);
        flipByte(segmentFile(crashed, 0), lastBatchPosition + 80);

        try (PartitionLog log = PartitionLog.open(live, "t", 0, LogConfig.defaults())) {
            assertTrue(log.loadSummary().cleanShutdown());
            assertEquals(0, log.loadSummary().segmentsRecovered(), "no batch was CRC-checked");
            assertEquals(6, log.logEndOffset(), "the damage inside b goes unseen: its header is intact");
            assertEquals(6, log.recoveryPoint());
            assertFalse(Files.exists(live.resolve(CleanShutdownMarker.FILE_NAME)), "removed while the log is open");
        }
        try (PartitionLog log = PartitionLog.open(crashed, "t", 0, LogConfig.defaults())) {
            assertFalse(log.loadSummary().cleanShutdown());
            assertEquals(1, log.loadSummary().segmentsRecovered());
            assertTrue(log.loadSummary().bytesTruncated() > 0, log.loadSummary().toString());
            assertEquals(3, log.logEndOffset(), "b fails its CRC and is cut");
            assertEquals(expected(0, 100, "a", 3), decode(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        }
    }

    @Test
    void theRecoveryPointFollowsFlushesAndSurvivesACrash() throws Exception {
        Path live = tmp.resolve("live/t-0");
        Path crashed = tmp.resolve("crashed/t-0");
        try (PartitionLog log = PartitionLog.open(live, "t", 0, LogConfig.defaults())) {
            assertEquals(0, log.recoveryPoint());
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            assertEquals(0, log.recoveryPoint(), "nothing flushed yet");
            log.flush();
            assertEquals(3, log.recoveryPoint());
            assertEquals(3, storedRecoveryPoint(live));
            log.appendAsLeader(batch(200, "b", 3), 0, 0);
            crashCopy(live, crashed);
        }
        try (PartitionLog log = PartitionLog.open(crashed, "t", 0, LogConfig.defaults())) {
            assertFalse(log.loadSummary().cleanShutdown());
            assertEquals(OptionalLong.of(3), log.loadSummary().storedRecoveryPoint());
            assertEquals(3, log.recoveryPoint(), "b may be in the page cache only: the point stays until a flush");
            assertEquals(6, log.logEndOffset());
            log.flush();
            assertEquals(6, log.recoveryPoint());
        }
        try (PartitionLog log = PartitionLog.open(live, "t", 0, LogConfig.defaults())) {
            assertTrue(log.loadSummary().cleanShutdown());
            assertEquals(6, log.recoveryPoint(), "a clean close flushed everything");
            assertEquals(6, storedRecoveryPoint(live));
        }
    }

    @Test
    void flushMessagesAdvancesTheRecoveryPoint() throws Exception {
        LogConfig everyFour = LogConfig.defaults().withOverrides(Map.of("flush.messages", "4"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, everyFour)) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            assertEquals(0, log.recoveryPoint());
            log.appendAsLeader(batch(100, "b", 3), 0, 0);
            assertEquals(6, log.recoveryPoint());
            assertEquals(6, storedRecoveryPoint(log.dir()));
        }
    }

    /**
     * A roll fsyncs the sealed segment and moves the recovery point to the new segment, so after a crash only
     * the active segment is CRC-checked: damage in a sealed segment goes unseen. Without a recovery point
     * the same damage is found, and the log is cut there with every later segment deleted.
     */
    @Test
    void aRollFlushesSoACrashChecksOnlyTheActiveSegment() throws Exception {
        Path live = tmp.resolve("live/t-0");
        Path crashed = tmp.resolve("crashed/t-0");
        Path crashedWithoutPoint = tmp.resolve("no-point/t-0");
        long secondBatchPosition;
        try (PartitionLog log = PartitionLog.open(live, "t", 0, THREE_PER_SEGMENT)) {
            log.appendAsLeader(sizedBatch(1, "r0", 300), 0, 0);
            secondBatchPosition = log.sizeInBytes();
            for (int i = 1; i < 8; i++) {
                log.appendAsLeader(sizedBatch(1, "r" + i, 300), 0, 0);
            }
            assertEquals(List.of(0L, 3L, 6L), log.segmentBaseOffsets());
            assertEquals(6, log.recoveryPoint(), "the last roll flushed everything below the active segment");
            assertEquals(6, storedRecoveryPoint(live));
            crashCopy(live, crashed);
            crashCopy(live, crashedWithoutPoint);
        }
        Files.delete(crashedWithoutPoint.resolve(RecoveryPointCheckpoint.FILE_NAME));
        flipByte(segmentFile(crashed, 0), secondBatchPosition + 150);
        flipByte(segmentFile(crashedWithoutPoint, 0), secondBatchPosition + 150);

        try (PartitionLog log = PartitionLog.open(crashed, "t", 0, THREE_PER_SEGMENT)) {
            assertFalse(log.loadSummary().cleanShutdown());
            assertEquals(1, log.loadSummary().segmentsRecovered(), "only the active segment");
            assertEquals(8, log.logEndOffset());
            assertEquals(List.of(0L, 3L, 6L), log.segmentBaseOffsets());
        }
        try (PartitionLog log = PartitionLog.open(crashedWithoutPoint, "t", 0, THREE_PER_SEGMENT)) {
            assertEquals(OptionalLong.empty(), log.loadSummary().storedRecoveryPoint());
            assertEquals(1, log.loadSummary().segmentsRecovered(), "the first segment fails, the rest are gone");
            assertEquals(2, log.loadSummary().segmentsDeleted());
            assertEquals(1, log.logEndOffset(), "cut at the corrupt second batch");
            assertEquals(List.of(0L), log.segmentBaseOffsets());
            assertFalse(Files.exists(segmentFile(crashedWithoutPoint, 3)));
            assertFalse(Files.exists(segmentFile(crashedWithoutPoint, 6)));
            assertEquals(1, log.appendAsLeader(sizedBatch(1, "again", 300), 0, 0).firstOffset());
        }
    }

    /**
     * Truncation lowers the recovery point on disk at once. Were it left high, the deletion of a later
     * segment that a power loss undid would make the truncated segment look sealed and flushed, and the
     * unflushed batches written into it after the truncation would be trusted unchecked.
     */
    @Test
    void truncationLowersTheRecoveryPointSoRewrittenBatchesAreCheckedAfterACrash() throws Exception {
        Path live = tmp.resolve("live/t-0");
        Path crashed = tmp.resolve("crashed/t-0");
        Path earlier = tmp.resolve("earlier/t-0");
        long rewrittenPosition;
        try (PartitionLog log = PartitionLog.open(live, "t", 0, THREE_PER_SEGMENT)) {
            for (int i = 0; i < 9; i++) {
                log.appendAsLeader(sizedBatch(1, "r" + i, 300), 0, 0);
            }
            log.flush();
            assertEquals(9, log.recoveryPoint());
            crashCopy(live, earlier);
            log.truncateTo(4);
            assertEquals(List.of(0L, 3L), log.segmentBaseOffsets());
            assertEquals(4, log.recoveryPoint());
            assertEquals(4, storedRecoveryPoint(live));
            rewrittenPosition = Files.size(segmentFile(live, 3));
            log.appendAsLeader(sizedBatch(1, "new", 300), 0, 0);
            crashCopy(live, crashed);
        }
        // The power loss undoes the unlink of segment 6.
        for (String suffix : List.of(".log", ".index", ".timeindex")) {
            String name = String.format("%020d%s", 6, suffix);
            Files.copy(earlier.resolve(name), crashed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        flipByte(segmentFile(crashed, 3), rewrittenPosition + 150);
        try (PartitionLog log = PartitionLog.open(crashed, "t", 0, THREE_PER_SEGMENT)) {
            assertEquals(OptionalLong.of(4), log.loadSummary().storedRecoveryPoint());
            assertEquals(4, log.logEndOffset(), "the corrupt rewritten batch is found and cut, segment 6 with it");
            assertEquals(List.of(0L, 3L), log.segmentBaseOffsets());
        }
    }

    @Test
    void truncateFullyRestartsTheRecoveryPointAtTheNewStart() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, LogConfig.defaults())) {
            log.appendAsLeader(batch(100, "a", 3), 0, 0);
            log.flush();
            log.truncateFullyAndStartAt(50);
            assertEquals(50, log.recoveryPoint());
            assertEquals(50, storedRecoveryPoint(log.dir()));
        }
    }
}
