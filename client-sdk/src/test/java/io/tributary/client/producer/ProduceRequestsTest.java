package io.tributary.client.producer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProduceRequestsTest {

    private static ProducerBatch batch(TopicPartition tp, Compression compression, String... values) {
        ProducerBatch b = new ProducerBatch(tp, compression, 16_384, 16_384, 0L);
        for (int i = 0; i < values.length; i++) {
            b.tryAppend(100 + i, ("k" + i).getBytes(StandardCharsets.UTF_8), values[i].getBytes(StandardCharsets.UTF_8),
                    new Header[0], new CompletableFuture<>(), 0);
        }
        return b;
    }

    /** Every codec, every version we negotiate; the same batches encoded twice (a retry) decode the same. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void produceRequestsRoundTripAtEveryVersion(String codec) {
        Compression compression = Compression.of(org.apache.kafka.common.record.CompressionType.forName(codec)).build();
        List<ProducerBatch> batches = List.of(
                batch(new TopicPartition("orders", 0), compression, "a", "b"),
                batch(new TopicPartition("orders", 2), compression, "c"),
                batch(new TopicPartition("audit", 1), compression, "d", "e", "f"));
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.PRODUCE);
        for (short v = range.min(); v <= range.max(); v++) {
            for (int attempt = 0; attempt < 2; attempt++) {
                ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.PRODUCE, v, "p", 3,
                        ProduceRequests.build((short) -1, 30_000, batches));
                frame.getInt();
                RequestHeader.parse(frame);
                ProduceRequestData parsed = new ProduceRequestData(new ByteBufferAccessor(frame), v);
                assertEquals(-1, parsed.acks());
                assertEquals(30_000, parsed.timeoutMs());
                List<String> seen = new ArrayList<>();
                for (ProduceRequestData.TopicProduceData t : parsed.topicData()) {
                    for (ProduceRequestData.PartitionProduceData p : t.partitionData()) {
                        MemoryRecords records = (MemoryRecords) p.records();
                        for (RecordBatch rb : records.batches()) {
                            rb.ensureValid();
                            assertEquals(codec, rb.compressionType().name);
                            for (Record r : rb) {
                                seen.add(t.name() + "-" + p.index() + ":" + r.offset() + "="
                                        + new String(Utils.toArray(r.value()), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
                assertEquals(List.of("orders-0:0=a", "orders-0:1=b", "orders-2:0=c", "audit-1:0=d", "audit-1:1=e", "audit-1:2=f"),
                        seen, "v" + v + " attempt " + attempt);
            }
        }
    }
}
