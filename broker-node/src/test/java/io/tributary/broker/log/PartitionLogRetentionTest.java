package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogRetentionTest {
    @TempDir
    Path tmp;

    @Test
    void timeRetentionDeletesOldSegmentsButNeverTheActiveOne() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "300", "retention.ms", "1000"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(sizedBatch(10_000L + 1000L * i, "r" + i, 200), 0, 0);
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), log.segmentBaseOffsets());
            // Newest timestamps: 10000, 11000, ... 15000. At 12500 segments 0 and 1 are older than 1000 ms.
            assertEquals(2, log.deleteExpiredSegments(12_500));
            assertEquals(List.of(2L, 3L, 4L, 5L), log.segmentBaseOffsets());
            assertEquals(2, log.logStartOffset());
            assertFalse(Files.exists(log.dir().resolve("00000000000000000000.log")));
            assertFalse(Files.exists(log.dir().resolve("00000000000000000001.index")));
            OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                    () -> log.read(1, 1000, Long.MAX_VALUE));
            assertEquals(2, e.logStartOffset());
            assertEquals("r2", decode(log.read(2, 1000, Long.MAX_VALUE).records()).get(0).key());
            // Everything is expired far in the future, but the active segment stays.
            assertEquals(3, log.deleteExpiredSegments(100_000));
            assertEquals(List.of(5L), log.segmentBaseOffsets());
            assertEquals(5, log.logStartOffset());
            assertEquals(6, log.logEndOffset());
        }
    }

    @Test
    void sizeRetentionKeepsAtLeastRetentionBytes() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(
                Map.of("segment.bytes", "300", "retention.bytes", "700"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(sizedBatch(1, "r" + i, 200), 0, 0);
            }
            long segment = log.sizeInBytes() / 6;
            assertTrue(segment > 150 && segment <= 300, "segment size " + segment);
            int deleted = log.deleteExpiredSegments(0);
            // Kafka's rule: delete the oldest while the log without them is still >= retention.bytes.
            long expectedDeleted = (6 * segment - 700) / segment;
            assertEquals(expectedDeleted, deleted);
            assertEquals(6 - expectedDeleted, log.segmentCount());
            assertTrue(log.sizeInBytes() >= 700);
            assertEquals(expectedDeleted, log.logStartOffset());
        }
    }

    @Test
    void retentionNeverDeletesAtOrAboveTheHighWatermark() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "300", "retention.ms", "0"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            for (int i = 0; i < 5; i++) {
                log.appendAsLeader(sizedBatch(1, "r" + i, 200), 0, 0);
            }
            assertEquals(2, log.deleteExpiredSegments(10_000, 2));
            assertEquals(2, log.logStartOffset(), "segment 2 holds offset 2, not yet replicated");
        }
    }

    @Test
    void aSliceReadBeforeDeletionStaysReadable() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "300", "retention.ms", "0"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            for (int i = 0; i < 3; i++) {
                log.appendAsLeader(batch(1, "r" + i, 2), 0, 0);
                log.appendAsLeader(sizedBatch(1, "pad" + i, 250), 0, 0);
            }
            LogReadResult before = log.read(0, 1000, Long.MAX_VALUE);
            assertTrue(log.deleteExpiredSegments(10_000) > 0);
            assertFalse(Files.exists(before.fileRegion().orElseThrow().file()));
            assertEquals(expected(0, 1, "r0", 2), decode(before.records()).subList(0, 2));
        }
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "600", "index.interval.bytes", "1"));
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            for (int i = 0; i < 20; i++) {
                log.appendAsLeader(batch(1_000L * (i + 1), "b" + i, 5), 0, 0); // timestamps 1000(i+1) .. +4
            }
            assertTrue(log.segmentCount() > 2);
            assertEquals(OptionalLong.of(0), log.offsetForTimestamp(0));
            assertEquals(OptionalLong.of(0), log.offsetForTimestamp(1_000));
            assertEquals(OptionalLong.of(3), log.offsetForTimestamp(1_003));
            assertEquals(OptionalLong.of(5), log.offsetForTimestamp(1_005));
            assertEquals(OptionalLong.of(72), log.offsetForTimestamp(15_002));
            assertEquals(OptionalLong.of(99), log.offsetForTimestamp(20_004));
            assertEquals(OptionalLong.empty(), log.offsetForTimestamp(20_005));
            assertEquals(new TimestampOffset(15_002, 72), log.findByTimestamp(15_002).orElseThrow());
            assertEquals(new TimestampOffset(20_004, 95), log.maxTimestamp().orElseThrow(),
                    "max timestamp and the base offset of its batch");
        }
    }
}
