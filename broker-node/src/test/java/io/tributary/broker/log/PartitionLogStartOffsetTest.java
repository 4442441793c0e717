package io.tributary.broker.log;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.broker.log.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeleteRecords' log start offset: inside a segment, durable across a reopen, never lowered by retention. */
class PartitionLogStartOffsetTest {

    @TempDir
    Path tmp;

    @Test
    void advancedStartOffsetDeletesWholeSegmentsBelowAndSurvivesAReopen() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "300"));
        Path dir = tmp.resolve("t-0");
        try (PartitionLog log = PartitionLog.open(dir, "t", 0, cfg)) {
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(batch(System.currentTimeMillis(), "r" + i, 5), 0, System.currentTimeMillis());
            }
            int segments = log.segmentCount();
            assertTrue(segments > 3, "segments " + segments);
            assertEquals(23, log.advanceLogStartOffset(23));
            assertEquals(23, log.logStartOffset());
            assertTrue(log.segmentCount() < segments);
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(22, 1000, Long.MAX_VALUE));
            assertTrue(log.read(23, 100_000, Long.MAX_VALUE).records().sizeInBytes() > 0);
            assertEquals(23, log.advanceLogStartOffset(10), "never moves back");
            assertThrows(OffsetOutOfRangeException.class, () -> log.advanceLogStartOffset(51));
            log.deleteExpiredSegments(System.currentTimeMillis(), 0);
            assertEquals(23, log.logStartOffset());
        }
        try (PartitionLog reopened = PartitionLog.open(dir, "t", 0, cfg)) {
            assertEquals(23, reopened.logStartOffset());
            assertThrows(OffsetOutOfRangeException.class, () -> reopened.read(22, 1000, Long.MAX_VALUE));
        }
    }
}
