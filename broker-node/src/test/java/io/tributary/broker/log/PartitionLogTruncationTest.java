package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.baseOffsets;
import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTruncationTest {
    @TempDir
    Path tmp;

    private final LogConfig config = LogConfig.defaults().withOverrides(
            Map.of("segment.bytes", "400", "index.interval.bytes", "1"));

    /** Ten batches of 3 records (offsets 3i..3i+2, timestamps 100i..), rolling every few batches. */
    private PartitionLog tenBatches(Path dir) throws Exception {
        PartitionLog log = PartitionLog.open(dir, "t", 0, config);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(100L * i, "b" + i, 3), 1, 0);
        }
        return log;
    }

    private static List<TestBatches.Rec> batchesUpTo(int n) {
        List<TestBatches.Rec> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            want.addAll(expected(3L * i, 100L * i, "b" + i, 3));
        }
        return want;
    }

    private static List<TestBatches.Rec> readAll(PartitionLog log) {
        List<TestBatches.Rec> out = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            List<TestBatches.Rec> part = decode(log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE).records());
            out.addAll(part);
            offset = part.get(part.size() - 1).offset() + 1;
        }
        return out;
    }

    @Test
    void truncateToAcrossSegmentsDropsWholeBatchesAndAppendsContinue() throws Exception {
        Path dir = tmp.resolve("t-0");
        try (PartitionLog log = tenBatches(dir)) {
            int segmentsBefore = log.segmentCount();
            log.truncateTo(13); // inside batch 4 (offsets 12..14): the whole batch goes (KIP-101 works on batches)
            assertEquals(12, log.logEndOffset());
            assertEquals(batchesUpTo(4), readAll(log));
            assertFalse(log.segmentCount() >= segmentsBefore, "later segments were deleted");
            for (long base : log.segmentBaseOffsets()) {
                assertFalse(base > 12, "segment " + base + " lies beyond the truncation point");
            }
            AppendResult next = log.appendAsLeader(batch(999, "new", 2), 2, 0);
            assertEquals(12, next.firstOffset());
            List<TestBatches.Rec> want = batchesUpTo(4);
            want.addAll(expected(12, 999, "new", 2));
            assertEquals(want, readAll(log));
        }
        try (PartitionLog reopened = PartitionLog.open(dir, "t", 0, config)) {
            assertEquals(14, reopened.logEndOffset());
            List<TestBatches.Rec> want = batchesUpTo(4);
            want.addAll(expected(12, 999, "new", 2));
            assertEquals(want, readAll(reopened));
            try (var files = Files.list(dir)) {
                assertEquals(3L * reopened.segmentCount(), files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.(log|index|timeindex)")).count(),
                        "no files of truncated segments are left");
            }
        }
    }

    @Test
    void truncateToABatchBoundaryAndToTheStart() throws Exception {
        try (PartitionLog log = tenBatches(tmp.resolve("t-0"))) {
            log.truncateTo(9);
            assertEquals(9, log.logEndOffset());
            assertEquals(batchesUpTo(3), readAll(log));
            log.truncateTo(100); // beyond the end: nothing to do
            assertEquals(9, log.logEndOffset());
            log.truncateTo(0);
            assertEquals(0, log.logEndOffset());
            assertEquals(List.of(0L), log.segmentBaseOffsets());
            assertEquals(0, log.appendAsLeader(batch(5, "x", 1), 3, 0).firstOffset());
            assertEquals(expected(0, 5, "x", 1), readAll(log));
        }
    }

    @Test
    void truncateFullyAndStartAtRestartsTheLogAtAnOffset() throws Exception {
        try (PartitionLog log = tenBatches(tmp.resolve("t-0"))) {
            log.truncateFullyAndStartAt(500);
            assertEquals(500, log.logStartOffset());
            assertEquals(500, log.logEndOffset());
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(0, 100, Long.MAX_VALUE));
            assertEquals(500, log.appendAsLeader(batch(1, "x", 2), 3, 0).firstOffset());
            assertEquals(expected(500, 1, "x", 2), readAll(log));
        }
    }

    @Test
    void followerAppendKeepsOffsetsAndEpochsAndRefusesGapsBackwards() throws Exception {
        Path leaderDir = tmp.resolve("leader-0");
        try (PartitionLog leader = tenBatches(leaderDir);
             PartitionLog follower = PartitionLog.open(tmp.resolve("follower-0"), "t", 0, config)) {
            long offset = 0;
            while (offset < leader.logEndOffset()) {
                LogReadResult read = leader.read(offset, 1000, Long.MAX_VALUE);
                MemoryRecords copy = MemoryRecords.readableRecords(toBuffer(read));
                AppendResult r = follower.appendAsFollower(copy);
                assertEquals(offset, r.firstOffset());
                offset = r.lastOffset() + 1;
            }
            assertEquals(30, follower.logEndOffset());
            assertEquals(batchesUpTo(10), readAll(follower));
            assertEquals(new AppendResult(30, 29, -1, -1, 0, 0), follower.appendAsFollower(MemoryRecords.EMPTY));
            assertEquals(30, follower.logEndOffset());
            for (RecordBatch b : follower.read(0, 1, Long.MAX_VALUE).records().batches()) {
                assertEquals(1, b.partitionLeaderEpoch());
            }
            MemoryRecords stale = MemoryRecords.readableRecords(toBuffer(leader.read(3, 1, Long.MAX_VALUE)));
            InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                    () -> follower.appendAsFollower(stale));
            assertEquals("follower append to t-0 starts at offset 3, below the log end offset 30", e.getMessage());
        }
    }

    @Test
    void followerAppendBeyondTheEndContinuesItsSegmentAcrossTheGap() throws Exception {
        // Gaps are routine behind a compacted leader: a segment per gap would leave thousands of tiny files.
        try (PartitionLog follower = PartitionLog.open(tmp.resolve("f-0"), "t", 0, config)) {
            follower.appendAsFollower(withBase(batch(1, "a", 2), 0));
            follower.appendAsFollower(withBase(batch(2, "b", 2), 40));
            assertEquals(42, follower.logEndOffset());
            assertEquals(List.of(0L), follower.segmentBaseOffsets());
            assertEquals(List.of(40L), baseOffsets(follower.read(5, 1000, Long.MAX_VALUE).records()),
                    "an offset in the gap reads from the next batch");
            assertEquals(expected(40, 2, "b", 2), decode(follower.read(40, 1000, Long.MAX_VALUE).records()));
        }
    }

    @Test
    void followerAppendBeyondTheEndOfAnEmptyLogStartsItsSegmentThere() throws Exception {
        try (PartitionLog follower = PartitionLog.open(tmp.resolve("f-0"), "t", 0, config)) {
            follower.appendAsFollower(withBase(batch(2, "b", 2), 40));
            assertEquals(List.of(40L), follower.segmentBaseOffsets());
            assertEquals(40, follower.logStartOffset());
            assertEquals(42, follower.logEndOffset());
        }
    }

    private static MemoryRecords withBase(MemoryRecords records, long base) {
        records.batches().iterator().next().setLastOffset(base + records.batches().iterator().next().lastOffset());
        return records;
    }

    private static java.nio.ByteBuffer toBuffer(LogReadResult read) throws Exception {
        org.apache.kafka.common.record.FileRecords file = (org.apache.kafka.common.record.FileRecords) read.records();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(file.sizeInBytes());
        file.readInto(buf, 0);
        return buf;
    }
}
