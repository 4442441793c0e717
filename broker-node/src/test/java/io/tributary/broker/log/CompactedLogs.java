package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;

/** Keyed batches and whole-log readers for the compaction tests. */
final class CompactedLogs {
    private CompactedLogs() {
    }

    /** A stored record: offset, key, value (null for a tombstone). */
    record KeyedRec(long offset, String key, String value) {
    }

    /** One producer batch of keyed records; a null value is a tombstone. */
    static MemoryRecords keyed(long timestamp, List<String> keys, List<String> values) {
        SimpleRecord[] records = new SimpleRecord[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            String v = values.get(i);
            records[i] = new SimpleRecord(timestamp, keys.get(i) == null ? null : keys.get(i).getBytes(StandardCharsets.UTF_8),
                    v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(0L, Compression.NONE, records);
    }

    static MemoryRecords one(long timestamp, String key, String value) {
        return keyed(timestamp, List.of(key), java.util.Collections.singletonList(value));
    }

    /** Every record of the log in offset order, read as a consumer reads (batch by batch from offset 0). */
    static List<KeyedRec> readAll(PartitionLog log) {
        List<KeyedRec> out = new ArrayList<>();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        long lastSeen = -1;
        while (offset < end) {
            Records records = log.read(offset, 1 << 20, Long.MAX_VALUE).records();
            long next = offset;
            for (RecordBatch batch : records.batches()) {
                batch.ensureValid();
                for (Record r : batch) {
                    if (r.offset() <= lastSeen) {
                        throw new AssertionError("offset " + r.offset() + " after " + lastSeen);
                    }
                    lastSeen = r.offset();
                    if (r.offset() >= offset) {
                        out.add(new KeyedRec(r.offset(), utf8(r.key()), utf8(r.value())));
                    }
                }
                next = batch.nextOffset();
            }
            if (next == offset) {
                throw new AssertionError("no progress reading at offset " + offset + " of " + end);
            }
            offset = next;
        }
        return out;
    }

    /** The latest record of each key in {@code records}, in offset order; tombstones included. */
    static List<KeyedRec> latestPerKey(List<KeyedRec> records) {
        Map<String, KeyedRec> latest = new LinkedHashMap<>();
        for (KeyedRec r : records) {
            latest.put(r.key(), r);
        }
        TreeMap<Long, KeyedRec> byOffset = new TreeMap<>();
        latest.values().forEach(r -> byOffset.put(r.offset(), r));
        return new ArrayList<>(byOffset.values());
    }

    /** Equal lists, or an error naming the sizes and the first difference (the lists are long). */
    static void assertSameRecords(List<KeyedRec> expected, List<KeyedRec> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError("record #" + i + ": expected " + expected.get(i) + " but was " + actual.get(i)
                        + " (" + expected.size() + " expected, " + actual.size() + " read)");
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(expected.size() + " records expected, " + actual.size() + " read");
        }
    }

    static LogCleaner cleaner(LogManager manager, long nowMs) {
        return new LogCleaner(0, manager, new CleanerConfig(true, 1, 10, 16L * 1024 * 1024, Double.MAX_VALUE, 64 * 1024),
                log -> Long.MAX_VALUE, () -> nowMs);
    }

    static SegmentCleaner segmentCleaner() {
        return new SegmentCleaner(new CleanerThrottler(Double.MAX_VALUE), 16L * 1024 * 1024, 64 * 1024, () -> false);
    }

    static List<String> files(Path dir) throws Exception {
        try (var list = java.nio.file.Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String utf8(ByteBuffer buf) {
        if (buf == null) {
            return null;
        }
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
