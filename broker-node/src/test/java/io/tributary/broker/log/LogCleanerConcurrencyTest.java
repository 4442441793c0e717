package io.tributary.broker.log;

import static io.tributary.broker.log.CompactedLogs.KeyedRec;
import static io.tributary.broker.log.CompactedLogs.keyed;
import static io.tributary.broker.log.CompactedLogs.latestPerKey;
import static io.tributary.broker.log.CompactedLogs.readAll;
import static io.tributary.broker.log.CompactedLogs.segmentCleaner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer appending and a consumer-style fetcher reading from the start, over and over, while the cleaner
 * rewrites and swaps segments under them: neither sees an error, the fetcher only ever sees increasing offsets
 * and valid batches, and the log ends with exactly the latest record per key.
 */
class LogCleanerConcurrencyTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void producerAndFetcherSeeNoErrorWhileTheCleanerRuns() throws Exception {
        try (LogManager manager = new LogManager(List.of(tmp.resolve("logs")), LogConfig.defaults())) {
            PartitionLog log = manager.getOrCreate("c", 0, Map.of("cleanup.policy", "compact", "segment.bytes", "8192",
                    "min.cleanable.dirty.ratio", "0.01"));
            List<KeyedRec> written = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicInteger fetchPasses = new AtomicInteger();
            AtomicInteger cleanings = new AtomicInteger();

            Thread producer = new Thread(() -> {
                try {
                    for (int b = 0; b < 1500; b++) {
                        List<String> keys = new ArrayList<>();
                        List<String> values = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            keys.add("k" + ((b * 7 + i * 13) % 300));
                            values.add("v" + b + "-" + i);
                        }
                        long first = log.appendAsLeader(keyed(T0 + b, keys, values), 0, T0 + b).firstOffset();
                        for (int i = 0; i < 10; i++) {
                            written.add(new KeyedRec(first + i, keys.get(i), values.get(i)));
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    producing.set(false);
                }
            }, "producer");
            Thread fetcher = new Thread(() -> {
                try {
                    while (producing.get()) {
                        long offset = log.logStartOffset();
                        long lastSeen = -1;
                        long end = log.logEndOffset();
                        while (offset < end) {
                            long next = offset;
                            for (RecordBatch batch : log.read(offset, 4096, Long.MAX_VALUE).records().batches()) {
                                batch.ensureValid();
                                for (Record r : batch) {
                                    if (r.offset() <= lastSeen) {
                                        throw new AssertionError("offset " + r.offset() + " after " + lastSeen);
                                    }
                                    lastSeen = r.offset();
                                }
                                next = batch.nextOffset();
                            }
                            if (next <= offset) {
                                throw new AssertionError("a read at " + offset + " below end " + end + " made no progress");
                            }
                            offset = next;
                        }
                        fetchPasses.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "fetcher");
            LogCleaner cleaner = CompactedLogs.cleaner(manager, T0);
            SegmentCleaner segmentCleaner = segmentCleaner();
            Thread cleanerThread = new Thread(() -> {
                try {
                    while (producing.get()) {
                        if (cleaner.cleanDirtiest(segmentCleaner)) {
                            cleanings.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "cleaner");
            producer.start();
            fetcher.start();
            cleanerThread.start();
            producer.join();
            fetcher.join();
            cleanerThread.join();
            assertNull(failure.get(), () -> "failed: " + failure.get());
            assertTrue(cleanings.get() > 0, "the cleaner never ran");
            assertTrue(fetchPasses.get() > 0, "the fetcher never finished a pass");

            // Everything written is still there at its offset, or superseded; a last cleaning leaves latest per key
            // (the active segment excepted, which is never cleaned).
            cleaner.clean(segmentCleaner, log, T0);
            List<KeyedRec> read = readAll(log);
            List<KeyedRec> latest = latestPerKey(written);
            assertTrue(read.containsAll(latest), "a latest record is missing");
            assertTrue(written.containsAll(read), "a record that was never written");
            long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
            List<KeyedRec> cleanedPart = read.stream().filter(r -> r.offset() < activeBase).toList();
            List<KeyedRec> expectedCleaned = latest.stream().filter(r -> r.offset() < activeBase).toList();
            assertEquals(expectedCleaned.size(), cleanedPart.stream().filter(latest::contains).count());
            assertEquals(written.get(written.size() - 1).offset() + 1, log.logEndOffset());
        }
    }
}
