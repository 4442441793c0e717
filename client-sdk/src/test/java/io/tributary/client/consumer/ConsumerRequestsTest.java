package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsumerRequestsTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A3 = new TopicPartition("a", 3);
    private static final TopicPartition B1 = new TopicPartition("b", 1);

    private static ByteBuffer bodyOf(ByteBuffer frame) {
        frame.getInt();
        RequestHeader.parse(frame);
        return frame;
    }

    private static ByteBuffer responseFrame(ApiKeys api, short v, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(1);
        short hv = api.responseHeaderVersion(v);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buf = ByteBuffer.allocate(header.size(cache, hv) + body.size(cache, v));
        ByteBufferAccessor acc = new ByteBufferAccessor(buf);
        header.write(acc, cache, hv);
        body.write(acc, cache, v);
        buf.flip();
        return buf;
    }

    @Test
    void fetchRequestsEncodeAtEveryVersionAndResponsesDecode() {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(A0, 5L);
        offsets.put(A3, 0L);
        offsets.put(B1, 123L);
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.FETCH);
        for (short v = range.min(); v <= range.max(); v++) {
            ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.FETCH, v, "c", 1, FetchRequests.build(offsets, 500, 1, 52_428_800, 1_048_576));
            FetchRequestData parsed = new FetchRequestData(new ByteBufferAccessor(bodyOf(frame)), v);
            assertEquals(-1, parsed.replicaId());
            assertEquals(500, parsed.maxWaitMs());
            assertEquals(1, parsed.minBytes());
            assertEquals(52_428_800, parsed.maxBytes());
            assertEquals(0, parsed.sessionId(), "sessionless fetch");
            assertEquals(-1, parsed.sessionEpoch(), "sessionless fetch");
            Map<TopicPartition, Long> decoded = new LinkedHashMap<>();
            for (FetchRequestData.FetchTopic t : parsed.topics()) {
                for (FetchRequestData.FetchPartition p : t.partitions()) {
                    decoded.put(new TopicPartition(t.topic(), p.partition()), p.fetchOffset());
                    assertEquals(1_048_576, p.partitionMaxBytes());
                }
            }
            assertEquals(offsets, decoded, "v" + v);

            MemoryRecords records = MemoryRecords.withRecords(5L, Compression.NONE,
                    new SimpleRecord(1L, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));
            FetchResponseData response = new FetchResponseData();
            FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("a");
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(6).setRecords(records));
            response.responses().add(topic);
            ByteBuffer rf = responseFrame(ApiKeys.FETCH, v, response);
            RequestFrames.correlationId(rf, ApiKeys.FETCH, v);
            FetchResponseData back = RequestFrames.decodeBody(rf, ApiKeys.FETCH, v).body(FetchResponseData.class);
            FetchResponseData.PartitionData pd = back.responses().get(0).partitions().get(0);
            assertEquals(6, pd.highWatermark());
            var decodedRecords = new RecordDecoder<>(io.tributary.client.serde.Serdes.string().deserializer(),
                    io.tributary.client.serde.Serdes.string().deserializer()).decode(A0, (MemoryRecords) pd.records(), 5L);
            assertEquals("v", decodedRecords.records().get(0).value());
            assertEquals(5L, decodedRecords.records().get(0).offset());
            assertEquals(6L, decodedRecords.nextFetchOffset());
        }
    }

    @Test
    void listOffsetsRequestsEncodeAtEveryVersionAndResponsesDecode() {
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        timestamps.put(A0, ListOffsetsRequests.EARLIEST_TIMESTAMP);
        timestamps.put(B1, ListOffsetsRequests.LATEST_TIMESTAMP);
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.LIST_OFFSETS);
        for (short v = range.min(); v <= range.max(); v++) {
            ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.LIST_OFFSETS, v, "c", 1, ListOffsetsRequests.build(timestamps));
            ListOffsetsRequestData parsed = new ListOffsetsRequestData(new ByteBufferAccessor(bodyOf(frame)), v);
            assertEquals(-1, parsed.replicaId());
            Map<TopicPartition, Long> decoded = new LinkedHashMap<>();
            parsed.topics().forEach(t -> t.partitions().forEach(p ->
                    decoded.put(new TopicPartition(t.name(), p.partitionIndex()), p.timestamp())));
            assertEquals(timestamps, decoded, "v" + v);

            ListOffsetsResponseData response = new ListOffsetsResponseData();
            response.topics().add(new ListOffsetsResponseData.ListOffsetsTopicResponse().setName("a").setPartitions(List.of(
                    new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(0).setOffset(42).setTimestamp(-1))));
            ByteBuffer rf = responseFrame(ApiKeys.LIST_OFFSETS, v, response);
            RequestFrames.correlationId(rf, ApiKeys.LIST_OFFSETS, v);
            ListOffsetsResponseData back = RequestFrames.decodeBody(rf, ApiKeys.LIST_OFFSETS, v).body(ListOffsetsResponseData.class);
            assertEquals(42, back.topics().get(0).partitions().get(0).offset());
        }
    }
}
