package io.tributary.broker.log;

import static io.tributary.broker.log.CompactedLogs.KeyedRec;
import static io.tributary.broker.log.CompactedLogs.cleaner;
import static io.tributary.broker.log.CompactedLogs.files;
import static io.tributary.broker.log.CompactedLogs.keyed;
import static io.tributary.broker.log.CompactedLogs.latestPerKey;
import static io.tributary.broker.log.CompactedLogs.one;
import static io.tributary.broker.log.CompactedLogs.readAll;
import static io.tributary.broker.log.CompactedLogs.segmentCleaner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    private LogManager manager() {
        return new LogManager(List.of(tmp.resolve("logs")), LogConfig.defaults());
    }

    private static Map<String, String> config(String policy, String... more) {
        Map<String, String> c = new java.util.HashMap<>(Map.of("cleanup.policy", policy, "segment.bytes", "65536",
                "segment.ms", Long.toString(DAY)));
        for (int i = 0; i < more.length; i += 2) {
            c.put(more[i], more[i + 1]);
        }
        return c;
    }

    /** Writes 100,000 records over 1,000 keys (random order), then one record in a new active segment. */
    private static List<KeyedRec> write100k(PartitionLog log) {
        Random random = new Random(42);
        List<KeyedRec> written = new ArrayList<>();
        for (int b = 0; b < 1000; b++) {
            List<String> keys = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                keys.add("key-" + random.nextInt(1000));
                values.add("value-" + (b * 100 + i));
            }
            long first = log.appendAsLeader(keyed(T0 + b, keys, values), 0, T0).firstOffset();
            for (int i = 0; i < 100; i++) {
                written.add(new KeyedRec(first + i, keys.get(i), values.get(i)));
            }
        }
        // Two days later (past segment.ms): rolls, so every record above is in a closed segment.
        long marker = log.appendAsLeader(one(T0 + 2 * DAY, "marker", "m"), 0, T0 + 2 * DAY).firstOffset();
        written.add(new KeyedRec(marker, "marker", "m"));
        return written;
    }

    @Test
    void keepsExactlyTheLatestValuePerKeyAtUnchangedOffsets() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact"));
            List<KeyedRec> written = write100k(log);
            long endBefore = log.logEndOffset();
            int segmentsBefore = log.segmentCount();
            long bytesBefore = log.sizeInBytes();
            assertTrue(segmentsBefore > 20, "segments " + segmentsBefore);

            LogCleaner cleaner = cleaner(manager, T0 + 3 * DAY);
            SegmentCleaner.Result result = cleaner.clean(segmentCleaner(), log, T0 + 3 * DAY).orElseThrow();
            assertTrue(result.swapped());

            List<KeyedRec> expected = latestPerKey(written);
            assertEquals(1001, expected.size());
            CompactedLogs.assertSameRecords(expected, readAll(log));
            assertEquals(endBefore, log.logEndOffset());
            assertEquals(0, log.logStartOffset());
            assertTrue(log.sizeInBytes() < bytesBefore / 20, log.sizeInBytes() + " of " + bytesBefore);
            assertEquals(log.segmentBaseOffsets().get(log.segmentCount() - 1), result.firstDirtyOffset());

            // A fetch at an offset whose record was removed answers from the next batch that has records.
            long removed = written.stream().filter(r -> !expected.contains(r)).findFirst().orElseThrow().offset();
            long nextKept = expected.stream().filter(r -> r.offset() > removed).findFirst().orElseThrow().offset();
            // (Batches left empty may come first: a consumer moves past them by their last offset.)
            long firstReturned = -1;
            long at = removed;
            while (firstReturned < 0) {
                long next = at;
                for (RecordBatch batch : log.read(at, 1 << 20, Long.MAX_VALUE).records().batches()) {
                    for (var r : batch) {
                        if (r.offset() >= removed && firstReturned < 0) {
                            firstReturned = r.offset();
                        }
                    }
                    next = batch.nextOffset();
                }
                assertTrue(next > at, "a read at " + at + " returned nothing");
                at = next;
            }
            assertEquals(nextKept, firstReturned);

            // A second cleaning groups the now small segments into one (Kafka's grouping by segment.bytes).
            cleaner.clean(segmentCleaner(), log, T0 + 3 * DAY).orElseThrow();
            assertEquals(2, log.segmentCount(), "segments " + log.segmentBaseOffsets());
            CompactedLogs.assertSameRecords(expected, readAll(log));

            // The cleaner checkpoint survives a restart of the cleaner; the reopened log (indexes) reads the same.
            assertTrue(Files.readString(tmp.resolve("logs").resolve(CleanerCheckpoint.FILE_NAME)).contains("c 0 " + result.firstDirtyOffset()));
            assertEquals(result.firstDirtyOffset(), cleaner(manager, T0).checkpointOf(log));
        }
        try (LogManager manager = manager()) {
            PartitionLog log = manager.loadExisting().get(0);
            assertEquals(1001, readAll(log).size());
            assertTrue(log.findByTimestamp(T0 + 999).isPresent());
        }
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheirFirstCleaningThenGo() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact", "delete.retention.ms", "1000"));
            log.appendAsLeader(keyed(T0, List.of("a", "b", "c"), List.of("a1", "b1", "c1")), 0, T0);
            log.appendAsLeader(keyed(T0, List.of("a", "b"), java.util.Arrays.asList(null, "b2")), 0, T0);
            log.appendAsLeader(one(T0 + 2 * DAY, "marker", "m"), 0, T0);
            long now = T0 + 3 * DAY;
            LogCleaner cleaner = cleaner(manager, now);
            SegmentCleaner.Result first = cleaner.clean(segmentCleaner(), log, now).orElseThrow();
            assertEquals(now + 1000, first.nextTombstoneExpiry());
            assertEquals(List.of(new KeyedRec(2, "c", "c1"), new KeyedRec(3, "a", null), new KeyedRec(4, "b", "b2"),
                    new KeyedRec(5, "marker", "m")), readAll(log));

            // Before the horizon the tombstone stays, however often the log is cleaned.
            cleaner.clean(segmentCleaner(), log, now + 999).orElseThrow();
            assertEquals(4, readAll(log).size());

            // At the horizon the cleaner picks the log up by itself (nothing is dirty) and drops the tombstone.
            LogCleaner later = cleaner(manager, now + 1000);
            later.clean(segmentCleaner(), log, now + 999); // learns the horizon, as a running cleaner would have
            assertTrue(later.cleanDirtiest(segmentCleaner()));
            assertEquals(List.of(new KeyedRec(2, "c", "c1"), new KeyedRec(4, "b", "b2"), new KeyedRec(5, "marker", "m")),
                    readAll(log));
            assertEquals(6, log.logEndOffset());
        }
    }

    @Test
    void compactAloneIgnoresRetentionWhileCompactDeleteAppliesBoth() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog compact = manager.getOrCreate("c", 0, config("compact", "retention.ms", "1000", "segment.bytes", "200"));
            PartitionLog both = manager.getOrCreate("d", 0, config(" delete , compact", "retention.ms", "1000", "segment.bytes", "200"));
            for (PartitionLog log : List.of(compact, both)) {
                for (int i = 0; i < 6; i++) {
                    log.appendAsLeader(keyed(T0 + i, List.of("k" + (i % 2), "x" + i), List.of("v" + i, "x")), 0, T0);
                }
                log.appendAsLeader(one(T0 + 10_000, "late", "l"), 0, T0);
            }
            assertEquals(CleanupPolicy.COMPACT_DELETE, both.config().cleanupPolicy());
            assertEquals(0, compact.deleteExpiredSegments(T0 + 5_000));
            assertEquals(0, compact.logStartOffset());
            assertTrue(both.deleteExpiredSegments(T0 + 5_000) > 0);
            assertTrue(both.logStartOffset() > 0);

            LogCleaner cleaner = cleaner(manager, T0 + 20_000);
            cleaner.clean(segmentCleaner(), compact, T0 + 20_000).orElseThrow();
            cleaner.clean(segmentCleaner(), both, T0 + 20_000).orElseThrow();
            List<KeyedRec> compacted = readAll(compact);
            assertEquals(List.of("k0", "k1"), compacted.stream().map(KeyedRec::key).filter(k -> k.startsWith("k")).toList());
            assertEquals(List.of("v4", "v5"), compacted.stream().filter(r -> r.key().startsWith("k")).map(KeyedRec::value).toList());
            assertEquals(List.of("x0", "x1", "x2", "x3", "x4", "x5", "late"),
                    compacted.stream().map(KeyedRec::key).filter(k -> !k.startsWith("k")).toList());
            // compact,delete: what retention left is compacted too.
            List<KeyedRec> both1 = readAll(both);
            assertEquals(both1, latestPerKey(both1));
        }
    }

    @Test
    void minCompactionLagKeepsYoungSegmentsOutAndMaxCompactionLagForcesACleaning() throws Exception {
        long hour = 3_600_000L;
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact", "min.compaction.lag.ms", Long.toString(hour),
                    "min.cleanable.dirty.ratio", "0.99", "max.compaction.lag.ms", Long.toString(12 * hour)));
            log.appendAsLeader(keyed(T0, List.of("k", "k"), List.of("a1", "a2")), 0, T0);
            log.appendAsLeader(one(T0 + 2 * DAY, "k", "b1"), 0, T0);
            log.appendAsLeader(one(T0 + 4 * DAY, "marker", "m"), 0, T0);

            // The second segment is younger than the lag: only the first is cleaned, by itself.
            long now = T0 + 2 * DAY + hour / 2;
            cleaner(manager, now).clean(segmentCleaner(), log, now).orElseThrow();
            assertEquals(List.of(new KeyedRec(1, "k", "a2"), new KeyedRec(2, "k", "b1"), new KeyedRec(3, "marker", "m")),
                    readAll(log));

            // A day later the ratio (0.99) is not reached, but the dirty segment is older than max.compaction.lag.ms.
            LogCleaner later = cleaner(manager, T0 + 3 * DAY);
            assertTrue(later.cleanDirtiest(segmentCleaner()));
            assertEquals(List.of(new KeyedRec(2, "k", "b1"), new KeyedRec(3, "marker", "m")), readAll(log));
            assertEquals(false, later.cleanDirtiest(segmentCleaner()), "nothing is dirty any more");
        }
    }

    @Test
    void nullKeysAreRefusedInCompactedTopicsOnly() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog compact = manager.getOrCreate("c", 0, config("compact"));
            PartitionLog delete = manager.getOrCreate("d", 0, config("delete"));
            MemoryRecords nullKey = MemoryRecords.withRecords(0L, Compression.gzip().build(),
                    new SimpleRecord(T0, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)),
                    new SimpleRecord(T0, null, "v".getBytes(StandardCharsets.UTF_8)));
            InvalidRecordBatchException e = assertThrows(InvalidRecordBatchException.class,
                    () -> compact.appendAsLeader(nullKey, 0, T0));
            assertEquals(Errors.INVALID_RECORD, e.error());
            assertTrue(e.getMessage().contains("without key"), e.getMessage());
            assertEquals(0, compact.logEndOffset());
            assertEquals(0, delete.appendAsLeader(MemoryRecords.withRecords(0L, Compression.gzip().build(),
                    new SimpleRecord(T0, null, "v".getBytes(StandardCharsets.UTF_8))), 0, T0).firstOffset());
        }
    }

    @Test
    void keepsTheLastBatchOfEachIdempotentProducerEvenWhenItsRecordsAreSuperseded() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact"));
            log.appendAsLeader(MemoryRecords.withIdempotentRecords(Compression.NONE, 77L, (short) 3, 10,
                    new SimpleRecord(T0, "k".getBytes(), "old".getBytes()), new SimpleRecord(T0, "j".getBytes(), "old".getBytes())), 0, T0);
            log.appendAsLeader(keyed(T0, List.of("k", "j"), List.of("new", "new")), 0, T0);
            log.appendAsLeader(keyed(T0, List.of("x"), List.of("x")), 0, T0);
            log.appendAsLeader(one(T0 + 2 * DAY, "marker", "m"), 0, T0);
            cleaner(manager, T0 + 3 * DAY).clean(segmentCleaner(), log, T0 + 3 * DAY).orElseThrow();
            assertEquals(List.of(new KeyedRec(2, "k", "new"), new KeyedRec(3, "j", "new"), new KeyedRec(4, "x", "x"),
                    new KeyedRec(5, "marker", "m")), readAll(log));
            RecordBatch producerBatch = null;
            for (RecordBatch batch : log.read(0, 1 << 20, Long.MAX_VALUE).records().batches()) {
                if (batch.hasProducerId()) {
                    producerBatch = batch;
                }
            }
            // An empty batch with the producer's id, epoch and sequences 10..11 at its offsets 0..1.
            assertEquals(77L, producerBatch.producerId());
            assertEquals(3, producerBatch.producerEpoch());
            assertEquals(10, producerBatch.baseSequence());
            assertEquals(11, producerBatch.lastSequence());
            assertEquals(0, producerBatch.baseOffset());
            assertEquals(1, producerBatch.lastOffset());
            assertEquals(0, producerBatch.countOrNull());
        }
    }

    @Test
    void aFollowerCopiesACleanedLeaderWithItsGapsAndEmptyBatches() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog leader = manager.getOrCreate("c", 0, config("compact"));
            List<KeyedRec> written = write100k(leader);
            cleaner(manager, T0 + 3 * DAY).clean(segmentCleaner(), leader, T0 + 3 * DAY).orElseThrow();
            PartitionLog follower = manager.getOrCreate("c", 1, config("compact"));
            long offset = 0;
            while (offset < leader.logEndOffset()) {
                MemoryRecords fetched = copy(leader.read(offset, 4096, Long.MAX_VALUE).records());
                follower.appendAsFollower(fetched);
                if (follower.logEndOffset() <= offset) {
                    throw new AssertionError("no progress at offset " + offset + ": fetched " + fetched.sizeInBytes()
                            + " bytes, follower end " + follower.logEndOffset());
                }
                offset = follower.logEndOffset();
            }
            assertEquals(leader.logEndOffset(), follower.logEndOffset());
            CompactedLogs.assertSameRecords(latestPerKey(written), readAll(follower));
            assertTrue(follower.segmentCount() < 5, "follower segments " + follower.segmentCount());
        }
    }

    private static MemoryRecords copy(org.apache.kafka.common.record.Records records) throws Exception {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(records.sizeInBytes());
        ((org.apache.kafka.common.record.FileRecords) records).readInto(buf, 0); // flips the buffer
        return MemoryRecords.readableRecords(buf);
    }

    @Test
    void aThrottledCleaningStopsAtCloseAndLeavesTheLogAsItWas() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact"));
            List<KeyedRec> written = write100k(log);
            // One byte a second: the cleaner thread ends up waiting in the throttle after its first segment.
            LogCleaner cleaner = new LogCleaner(0, manager, new CleanerConfig(true, 1, 10, 16L * 1024 * 1024, 1.0,
                    64 * 1024), l -> Long.MAX_VALUE, () -> T0 + 3 * DAY);
            cleaner.start();
            org.awaitility.Awaitility.await("cleaner throttled").atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().equals("broker-0-log-cleaner-0")
                            && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("CleanerThrottler"))));
            cleaner.close();
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("broker-0-log-cleaner-0")),
                    "the cleaner thread ended");
            CompactedLogs.assertSameRecords(written, readAll(log));
            for (String f : files(log.dir())) {
                assertFalse(f.endsWith(".cleaned") || f.endsWith(".swap") || f.endsWith(".deleted"), f);
            }
        }
    }

    @Test
    void leavesNoFilesOfItsOwnBehind() throws Exception {
        try (LogManager manager = manager()) {
            PartitionLog log = manager.getOrCreate("c", 0, config("compact"));
            write100k(log);
            cleaner(manager, T0 + 3 * DAY).clean(segmentCleaner(), log, T0 + 3 * DAY).orElseThrow();
            for (String f : files(log.dir())) {
                assertFalse(f.endsWith(".cleaned") || f.endsWith(".swap") || f.endsWith(".deleted"), f);
            }
        }
    }
}
