package io.tributary.client.admin;

import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdminRequestsTest {
    private static ByteBuffer bodyOf(ByteBuffer frame) {
        frame.getInt();
        RequestHeader.parse(frame);
        return frame;
    }

    @Test
    void createTopicsEncodesAtEveryVersion() {
        NewTopic topic = new NewTopic("orders", 6, (short) 3, Map.of("retention.ms", "60000", "min.insync.replicas", "2"));
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.CREATE_TOPICS);
        for (short v = range.min(); v <= range.max(); v++) {
            ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.CREATE_TOPICS, v, "a", 1, CreateTopicsRequests.build(topic, 30_000));
            CreateTopicsRequestData parsed = new CreateTopicsRequestData(new ByteBufferAccessor(bodyOf(frame)), v);
            CreateTopicsRequestData.CreatableTopic t = parsed.topics().find("orders");
            assertEquals(6, t.numPartitions());
            assertEquals(3, t.replicationFactor());
            assertEquals("60000", t.configs().find("retention.ms").value());
            assertEquals("2", t.configs().find("min.insync.replicas").value());
            assertEquals(30_000, parsed.timeoutMs());
        }
    }

    @Test
    void deleteTopicsNamesTopicsTheWayEachVersionExpects() {
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.DELETE_TOPICS);
        for (short v = range.min(); v <= range.max(); v++) {
            ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.DELETE_TOPICS, v, "a", 1,
                    DeleteTopicsRequests.build(v, List.of("a", "b"), 10_000));
            DeleteTopicsRequestData parsed = new DeleteTopicsRequestData(new ByteBufferAccessor(bodyOf(frame)), v);
            assertEquals(List.of("a", "b"), new DeleteTopicsRequest.Builder(parsed).build(v).topicNames(), "v" + v);
            assertEquals(10_000, parsed.timeoutMs());
        }
    }
}
