package io.tributary.client.consumer;

import io.tributary.client.common.Header;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.serde.Serdes;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecordDecoderTest {
    private static final TopicPartition TP = new TopicPartition("events", 4);
    private final RecordDecoder<String, Integer> decoder = new RecordDecoder<>(Serdes.string().deserializer(), Serdes.integer().deserializer());

    private static SimpleRecord record(long ts, String key, int value) {
        return new SimpleRecord(ts, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                Serdes.integer().serializer().serialize("events", value),
                new org.apache.kafka.common.header.Header[]{new RecordHeader("h", ("hv" + value).getBytes(StandardCharsets.UTF_8))});
    }

    /** Two batches: offsets 10-12 and 13-14, each compressed with the codec. */
    private static MemoryRecords twoBatches(Compression compression) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try (MemoryRecordsBuilder b = MemoryRecords.builder(buffer, compression, TimestampType.CREATE_TIME, 10L)) {
            b.append(record(1000, "k10", 10));
            b.append(record(1001, null, 11));
            b.append(record(1002, "k12", 12));
        }
        try (MemoryRecordsBuilder b = MemoryRecords.builder(buffer, compression, TimestampType.CREATE_TIME, 13L)) {
            b.append(record(1003, "k13", 13));
            b.append(record(1004, "k14", 14));
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void decodesEveryCodecAndSkipsRecordsBeforeTheFetchOffset(String codec) {
        MemoryRecords records = twoBatches(Compression.of(CompressionType.forName(codec)).build());
        // Fetching at 11 returns the whole first batch; offset 10 must not be handed out again.
        RecordDecoder.Decoded<String, Integer> d = decoder.decode(TP, records, 11L);
        assertEquals(List.of(11L, 12L, 13L, 14L), d.records().stream().map(ConsumerRecord::offset).toList());
        assertEquals(List.of(11, 12, 13, 14), d.records().stream().map(ConsumerRecord::value).toList());
        ConsumerRecord<String, Integer> first = d.records().get(0);
        assertNull(first.key());
        assertEquals("events", first.topic());
        assertEquals(4, first.partition());
        assertEquals(1001L, first.timestamp());
        assertEquals(List.of(new Header("h", "hv11".getBytes(StandardCharsets.UTF_8))), first.headers());
        assertEquals("k14", d.records().get(3).key());
        assertEquals(15L, d.nextFetchOffset());
    }

    @Test
    void aBatchCutShortByTheFetchSizeLimitIsLeftForTheNextFetch() {
        MemoryRecords full = twoBatches(Compression.NONE);
        ByteBuffer cut = full.buffer().duplicate();
        cut.limit(cut.limit() - 5); // the second batch is incomplete
        RecordDecoder.Decoded<String, Integer> d = decoder.decode(TP, MemoryRecords.readableRecords(cut.slice()), 10L);
        assertEquals(List.of(10L, 11L, 12L), d.records().stream().map(ConsumerRecord::offset).toList());
        assertEquals(13L, d.nextFetchOffset());
    }

    @Test
    void controlBatchesAreSkippedButAdvanceTheFetchOffset() {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try (MemoryRecordsBuilder b = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 7L, (short) 0, 0, true, RecordBatch.NO_PARTITION_LEADER_EPOCH)) {
            b.append(record(1, "k0", 0));
        }
        MemoryRecords.writeEndTransactionalMarker(buffer, 1L, 2L, 0, 7L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        buffer.flip();
        RecordDecoder.Decoded<String, Integer> d = decoder.decode(TP, MemoryRecords.readableRecords(buffer), 0L);
        assertEquals(List.of(0L), d.records().stream().map(ConsumerRecord::offset).toList());
        assertEquals(2L, d.nextFetchOffset());
    }
}
