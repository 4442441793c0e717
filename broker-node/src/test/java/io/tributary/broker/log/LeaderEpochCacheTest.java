package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {
    @TempDir
    Path tmp;

    private static List<Map.Entry<Integer, Long>> entries(Object... epochStart) {
        List<Map.Entry<Integer, Long>> out = new java.util.ArrayList<>();
        for (int i = 0; i < epochStart.length; i += 2) {
            out.add(Map.entry((Integer) epochStart[i], ((Number) epochStart[i + 1]).longValue()));
        }
        return out;
    }

    @Test
    void leaderAppendsRecordEpochStartsAndAnswerOffsetsForLeaderEpoch() throws Exception {
        Path dir = tmp.resolve("t-0");
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, LogConfig.defaults())) {
            log.appendAsLeader(batch(1, "a", 3), 1, 0);   // epoch 1: 0..2
            log.appendAsLeader(batch(1, "b", 2), 1, 0);   // 3..4
            log.recordLeaderEpochStart(3);                 // became leader in epoch 3 at 5, before appending
            log.appendAsLeader(batch(1, "c", 4), 3, 0);   // epoch 3: 5..8
            assertEquals(entries(1, 0, 3, 5), log.leaderEpochs().entries());
            assertEquals(new EpochEndOffset(3, 9), log.endOffsetForEpoch(3));
            assertEquals(new EpochEndOffset(1, 5), log.endOffsetForEpoch(1));
            assertEquals(new EpochEndOffset(1, 5), log.endOffsetForEpoch(2), "epoch 2 never wrote: ends where 3 starts");
            assertEquals(new EpochEndOffset(0, 0), log.endOffsetForEpoch(0));
            assertEquals(EpochEndOffset.UNDEFINED, log.endOffsetForEpoch(4));
        }
        assertEquals(List.of("0", "2", "1 0", "3 5"), Files.readAllLines(dir.resolve("leader-epoch-checkpoint")));
        try (PartitionLog reopened = PartitionLog.open(dir, "t", 0, LogConfig.defaults())) {
            assertEquals(new EpochEndOffset(1, 5), reopened.endOffsetForEpoch(1));
        }
    }

    @Test
    void followerLearnsEpochsFromBatchesAndTruncationForgetsThem() throws Exception {
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, LogConfig.defaults())) {
            log.appendAsFollower(withEpoch(withBase(batch(1, "a", 2), 0), 2));
            log.appendAsFollower(withEpoch(withBase(batch(1, "b", 2), 2), 2));
            log.appendAsFollower(withEpoch(withBase(batch(1, "c", 2), 4), 5));
            assertEquals(entries(2, 0, 5, 4), log.leaderEpochs().entries());
            log.truncateTo(4);
            assertEquals(entries(2, 0), log.leaderEpochs().entries());
            assertEquals(new EpochEndOffset(2, 4), log.endOffsetForEpoch(2));
            log.truncateFullyAndStartAt(100);
            assertEquals(List.of(), log.leaderEpochs().entries());
        }
    }

    @Test
    void retentionMovesTheFirstEpochStartUp() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "300", "retention.ms", "0"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            log.appendAsLeader(sizedBatch(1, "a", 200), 1, 0);  // 0, epoch 1
            log.appendAsLeader(sizedBatch(1, "b", 200), 2, 0);  // 1, epoch 2
            log.appendAsLeader(sizedBatch(1, "c", 200), 2, 0);  // 2
            log.appendAsLeader(sizedBatch(1, "d", 200), 2, 0);  // 3 (active)
            assertEquals(2, log.deleteExpiredSegments(10_000, 2)); // the high watermark keeps segment 2
            assertEquals(2, log.logStartOffset());
            assertEquals(entries(2, 2), log.leaderEpochs().entries());
        }
    }

    @Test
    void anUnreadableCheckpointIsIgnored() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("t-0"));
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n5\n1 x\n");
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, LogConfig.defaults())) {
            assertEquals(List.of(), log.leaderEpochs().entries());
            log.appendAsLeader(batch(1, "a", 1), 4, 0);
            assertEquals(entries(4, 0), log.leaderEpochs().entries());
        }
    }

    private static MemoryRecords withBase(MemoryRecords records, long base) {
        var b = records.batches().iterator().next();
        b.setLastOffset(base + b.lastOffset());
        return records;
    }

    private static MemoryRecords withEpoch(MemoryRecords records, int epoch) {
        records.batches().iterator().next().setPartitionLeaderEpoch(epoch);
        return records;
    }
}
