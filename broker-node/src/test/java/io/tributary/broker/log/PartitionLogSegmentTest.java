package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.baseOffsets;
import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogSegmentTest {
    @TempDir
    Path tmp;

    private static LogConfig config(Map<String, String> overrides) {
        return LogConfig.defaults().withOverrides(overrides);
    }

    @Test
    void rollsBySizeAndNamesSegmentsByBaseOffset() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, config(Map.of("segment.bytes", "1000")))) {
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(sizedBatch(i, "r" + i, 300), 0, 0);
            }
            // 3 batches of ~300 bytes fit in 1000, the 4th rolls.
            assertEquals(List.of(0L, 3L, 6L, 9L), log.segmentBaseOffsets());
            for (long base : log.segmentBaseOffsets()) {
                assertTrue(Files.exists(log.dir().resolve(String.format("%020d.log", base))));
                assertTrue(Files.exists(log.dir().resolve(String.format("%020d.index", base))));
                assertTrue(Files.exists(log.dir().resolve(String.format("%020d.timeindex", base))));
            }
            // A read stays within one segment: the rest comes with the next fetch.
            assertEquals(List.of(3L, 4L, 5L), baseOffsets(log.read(3, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
            assertEquals(List.of(9L), baseOffsets(log.read(9, Integer.MAX_VALUE, Long.MAX_VALUE).records()));
        }
    }

    @Test
    void rollsByTimeOnceTheFirstBatchIsOlderThanSegmentMs() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, config(Map.of("segment.ms", "1000")))) {
            log.appendAsLeader(batch(10_000, "a", 1), 0, 10_000);
            log.appendAsLeader(batch(10_500, "b", 1), 0, 10_900);
            assertEquals(List.of(0L), log.segmentBaseOffsets());
            log.appendAsLeader(batch(11_100, "c", 1), 0, 11_001);
            assertEquals(List.of(0L, 2L), log.segmentBaseOffsets());
            assertEquals(expected(2, 11_100, "c", 1), decode(log.read(2, 1000, Long.MAX_VALUE).records()));
        }
    }

    @Test
    void segmentMsIsMeasuredBetweenRecordTimestampsNotByTheWallClock() throws Exception {
        // A backfill: records stamped long ago, appended now. KAFKA-4099: they must not roll a segment per batch.
        try (PartitionLog log = PartitionLog.open(tmp.resolve("old-0"), "old", 0, config(Map.of("segment.ms", "1000")))) {
            log.appendAsLeader(batch(1_000, "a", 1), 0, 50_000_000);
            log.appendAsLeader(batch(1_500, "b", 1), 0, 90_000_000);
            assertEquals(List.of(0L), log.segmentBaseOffsets(), "500 ms of record time, however late they arrive");
            log.appendAsLeader(batch(2_100, "c", 1), 0, 90_000_001);
            assertEquals(List.of(0L, 2L), log.segmentBaseOffsets(), "1,100 ms of record time rolls");
        }
    }

    @Test
    void sparseIndexLookupsLandOnTheRightBatchAcrossManySegmentsAndAfterReopen() throws Exception {
        LogConfig cfg = config(Map.of("segment.bytes", "5000", "index.interval.bytes", "500"));
        Path dir = tmp.resolve("many-seg-3");
        List<long[]> batchRanges = new ArrayList<>();
        try (PartitionLog log = PartitionLog.open(dir, "many-seg", 3, cfg)) {
            for (int i = 0; i < 400; i++) {
                int count = 1 + i % 4;
                AppendResult r = log.appendAsLeader(batch(1_000 + i, "b" + i, count), 1, 0);
                batchRanges.add(new long[] {r.firstOffset(), r.lastOffset(), i, count});
            }
            assertTrue(log.segmentCount() > 5, "expected many segments, got " + log.segmentCount());
            assertTrue(Files.size(dir.resolve("00000000000000000000.index")) > 8, "sealed segment index has entries");
            checkEveryOffset(log, batchRanges);
        }
        try (PartitionLog reopened = PartitionLog.open(dir, "many-seg", 3, cfg)) {
            checkEveryOffset(reopened, batchRanges);
        }
    }

    private static void checkEveryOffset(PartitionLog log, List<long[]> batchRanges) {
        for (long[] range : batchRanges) {
            for (long offset = range[0]; offset <= range[1]; offset++) {
                RecordBatch first = log.read(offset, 1, Long.MAX_VALUE).records().batches().iterator().next();
                assertEquals(range[0], first.baseOffset(), "batch holding offset " + offset);
                assertEquals(range[1], first.lastOffset(), "batch holding offset " + offset);
            }
            String prefix = "b" + range[2];
            assertEquals(expected(range[0], 1_000 + range[2], prefix, (int) range[3]),
                    decode(log.read(range[0], 1, Long.MAX_VALUE).records()));
        }
    }

    @Test
    void missingOrGarbageIndexesOfSealedSegmentsAreRebuiltFromTheLog() throws Exception {
        LogConfig cfg = config(Map.of("segment.bytes", "5000", "index.interval.bytes", "200"));
        Path dir = tmp.resolve("t-1");
        List<Long> bases;
        try (PartitionLog log = PartitionLog.open(dir, "t", 1, cfg)) {
            for (int i = 0; i < 100; i++) {
                log.appendAsLeader(batch(i, "b" + i, 2), 0, 0);
            }
            bases = log.segmentBaseOffsets();
        }
        assertTrue(bases.size() >= 3);
        Files.delete(dir.resolve(String.format("%020d.index", bases.get(0))));
        Files.write(dir.resolve(String.format("%020d.index", bases.get(1))), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 1});
        Files.write(dir.resolve(String.format("%020d.timeindex", bases.get(1))), new byte[] {9, 9, 9});
        try (PartitionLog log = PartitionLog.open(dir, "t", 1, cfg)) {
            assertEquals(200, log.logEndOffset());
            for (int i = 0; i < 100; i++) {
                assertEquals(expected(2L * i, i, "b" + i, 2), decode(log.read(2L * i + 1, 1, Long.MAX_VALUE).records()));
            }
            assertTrue(Files.size(dir.resolve(String.format("%020d.index", bases.get(0)))) > 0, "index rewritten");
            // Batch i holds timestamps i and i+1 at offsets 2i and 2i+1: timestamp 50 is first at offset 99.
            assertEquals(99, log.offsetForTimestamp(50).getAsLong());
        }
    }

    /**
     * An index refused at open is rebuilt in place: the file must lose the refused bytes too, or every later
     * start would refuse it again and CRC-scan the segment, even after a clean shutdown.
     */
    @Test
    void aRefusedIndexIsReplacedWholeSoTheNextCleanStartTrustsIt() throws Exception {
        Path dir = tmp.resolve("t-0");
        LogConfig cfg = config(Map.of("segment.bytes", "1000"));
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, cfg)) {
            for (int i = 0; i < 4; i++) {
                log.appendAsLeader(sizedBatch(i, "r" + i, 300), 0, 0);
            }
            assertEquals(List.of(0L, 3L), log.segmentBaseOffsets());
        }
        Path index = dir.resolve(String.format("%020d.index", 0));
        assertEquals(0, Files.size(index), "three small batches stay below index.interval.bytes");
        // Two entries pointing far past the end of the file: refused at load.
        Files.write(index, new byte[] {0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0});
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, cfg)) {
            assertEquals(1, log.loadSummary().segmentsRecovered());
            assertEquals(4, log.logEndOffset());
        }
        assertEquals(0, Files.size(index), "the rebuilt index has no entries, and no leftovers");
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, cfg)) {
            assertEquals(0, log.loadSummary().segmentsRecovered());
        }
    }
}
