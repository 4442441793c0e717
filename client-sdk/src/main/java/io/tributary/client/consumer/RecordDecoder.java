package io.tributary.client.consumer;

import io.tributary.client.common.Header;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.serde.Deserializer;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Utils;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the record batches of one partition's fetch response into consumer records. Batches are
 * decompressed by the record classes (gzip, snappy, lz4, zstd). A fetch at an offset inside a batch
 * returns the whole batch, so records before the fetch offset are skipped; control batches
 * (transaction markers) are not user data. A truncated batch at the end of the response (cut by the
 * size limits) is ignored: the next fetch starts at its offset.
 */
final class RecordDecoder<K, V> {
    /** The decoded records and the offset to fetch next (after the last complete batch). */
    record Decoded<K, V>(List<ConsumerRecord<K, V>> records, long nextFetchOffset) {
    }

    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;

    RecordDecoder(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
    }

    Decoded<K, V> decode(TopicPartition tp, MemoryRecords records, long fetchOffset) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        long next = fetchOffset;
        for (RecordBatch batch : records.batches()) {
            next = Math.max(next, batch.nextOffset());
            if (batch.isControlBatch() || batch.lastOffset() < fetchOffset) {
                continue;
            }
            batch.ensureValid();
            for (Record r : batch) {
                if (r.offset() < fetchOffset) {
                    continue;
                }
                out.add(toConsumerRecord(tp, r));
            }
        }
        return new Decoded<>(out, next);
    }

    private ConsumerRecord<K, V> toConsumerRecord(TopicPartition tp, Record r) {
        byte[] keyBytes = r.hasKey() ? Utils.toArray(r.key()) : null;
        byte[] valueBytes = r.hasValue() ? Utils.toArray(r.value()) : null;
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers.add(new Header(h.key(), h.value()));
        }
        return new ConsumerRecord<>(tp.topic(), tp.partition(), r.offset(), r.timestamp(),
                keyDeserializer.deserialize(tp.topic(), keyBytes),
                valueDeserializer.deserialize(tp.topic(), valueBytes),
                headers);
    }
}
