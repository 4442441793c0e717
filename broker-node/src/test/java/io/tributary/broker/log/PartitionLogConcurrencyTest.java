package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void readersRacingWithAppendsSeeOnlyWholeValidContiguousBatches() throws Exception {
        LogConfig cfg = LogConfig.defaults().withOverrides(
                Map.of("segment.bytes", "4000", "index.interval.bytes", "300"));
        int batches = 2000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PartitionLog log = PartitionLog.open(tmp.resolve("t-0"), "t", 0, cfg)) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < batches; i++) {
                        log.appendAsLeader(batch(i, "b" + i, 2), 0, 0);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "writer");
            Thread reader = new Thread(() -> {
                try {
                    long next = 0;
                    while (next < 2L * batches) {
                        long end = log.logEndOffset();
                        List<TestBatches.Rec> recs = decode(log.read(next, 3000, Long.MAX_VALUE).records());
                        for (TestBatches.Rec r : recs) {
                            if (r.offset() != next || !r.key().equals("b" + (next / 2) + "-k" + (next % 2))) {
                                throw new AssertionError("at offset " + next + " read " + r);
                            }
                            next++;
                        }
                        if (next > Math.max(end, log.logEndOffset())) {
                            throw new AssertionError("read past the log end offset: " + next);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "reader");
            writer.start();
            reader.start();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> failure.get() != null || (!writer.isAlive() && !reader.isAlive()));
            assertNull(failure.get(), () -> "concurrent read failed: " + failure.get());
            assertEquals(2L * batches, log.logEndOffset());
            assertTrue(log.segmentCount() > 10);
        }
    }
}
