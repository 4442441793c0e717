package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;

/** Producer-style batches for tests, and readers that decode what the log returns. */
final class TestBatches {
    private TestBatches() {
    }

    /** A record as the tests check it: offset, timestamp, key, value and the first header. */
    record Rec(long offset, long timestamp, String key, String value, String headerValue) {
    }

    /** One batch as a producer builds it (base offset 0), records named {@code prefix-i}, timestamps ts+i. */
    static MemoryRecords batch(Compression compression, long timestamp, String prefix, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            Header[] headers = {new RecordHeader("h", (prefix + "-h" + i).getBytes(StandardCharsets.UTF_8))};
            records[i] = new SimpleRecord(timestamp + i, (prefix + "-k" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-v" + i).getBytes(StandardCharsets.UTF_8), headers);
        }
        return MemoryRecords.withRecords(0L, compression, records);
    }

    static MemoryRecords batch(long timestamp, String prefix, int count) {
        return batch(Compression.NONE, timestamp, prefix, count);
    }

    /** A batch whose value bytes make it about {@code bytes} long, for size-based tests. */
    static MemoryRecords sizedBatch(long timestamp, String prefix, int bytes) {
        byte[] value = new byte[Math.max(1, bytes - 80)];
        java.util.Arrays.fill(value, (byte) 'x');
        return MemoryRecords.withRecords(0L, Compression.NONE,
                new SimpleRecord(timestamp, prefix.getBytes(StandardCharsets.UTF_8), value));
    }

    /** A magic v1 (pre-KIP-98) batch, which the log must refuse. */
    static MemoryRecords legacyBatch() {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V1,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        builder.append(1000L, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        return builder.build();
    }

    /** Several producer batches in one request buffer, as a Produce request carries them. */
    static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords p : parts) {
            size += p.sizeInBytes();
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (MemoryRecords p : parts) {
            buf.put(p.buffer().duplicate());
        }
        buf.flip();
        return MemoryRecords.readableRecords(buf);
    }

    static byte[] bytes(MemoryRecords records) {
        ByteBuffer dup = records.buffer().duplicate();
        byte[] out = new byte[dup.remaining()];
        dup.get(out);
        return out;
    }

    /** Every record of every batch in {@code records}, decompressing as a consumer would. */
    static List<Rec> decode(Records records) {
        List<Rec> out = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            batch.ensureValid();
            for (Record r : batch) {
                Header[] headers = r.headers();
                out.add(new Rec(r.offset(), r.timestamp(), utf8(r.key()), utf8(r.value()),
                        headers.length == 0 ? null : new String(headers[0].value(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** Base offsets of the batches in {@code records}. */
    static List<Long> baseOffsets(Records records) {
        List<Long> out = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            out.add(batch.baseOffset());
        }
        return out;
    }

    /** The records {@link #batch} produced, at the offsets the log should have assigned from {@code firstOffset}. */
    static List<Rec> expected(long firstOffset, long timestamp, String prefix, int count) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Rec(firstOffset + i, timestamp + i, prefix + "-k" + i, prefix + "-v" + i, prefix + "-h" + i));
        }
        return out;
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
