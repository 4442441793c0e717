package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** ListOffsets and DescribeLogDirs as the admin client sends them at every version it negotiates, and their answers. */
class OffsetAndLogDirRequestsTest {
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    private static ApiMessage roundTrip(ApiKeys api, short version, ApiMessage body) {
        ByteBuffer frame = RequestFrames.encodeRequest(api, version, "test-client", 1, body);
        frame.getInt();
        assertEquals(version, RequestHeader.parse(frame).apiVersion());
        ApiMessage parsed = api.messageType.newRequest();
        parsed.read(new ByteBufferAccessor(frame), version);
        return parsed;
    }

    @Test
    void requestsEncodeAtEveryVersionInOurRange() {
        VersionRange offsets = ClientApiVersions.rangeOf(ApiKeys.LIST_OFFSETS);
        for (short v = offsets.min(); v <= offsets.max(); v++) {
            var parsed = (ListOffsetsRequestData) roundTrip(ApiKeys.LIST_OFFSETS, v, OffsetAndLogDirRequests.listOffsets(
                    new TreeMap<>(Map.of(ORDERS_0, OffsetSpec.EARLIEST, ORDERS_1, OffsetSpec.LATEST))));
            assertEquals(-1, parsed.replicaId());
            assertEquals(List.of(-2L, -1L), parsed.topics().get(0).partitions().stream()
                    .map(ListOffsetsRequestData.ListOffsetsPartition::timestamp).toList());
        }
        VersionRange logDirs = ClientApiVersions.rangeOf(ApiKeys.DESCRIBE_LOG_DIRS);
        for (short v = logDirs.min(); v <= logDirs.max(); v++) {
            var parsed = (DescribeLogDirsRequestData) roundTrip(ApiKeys.DESCRIBE_LOG_DIRS, v, OffsetAndLogDirRequests.describeLogDirs());
            assertNull(parsed.topics(), "null asks for every topic");
        }
    }

    @Test
    void listOffsetsAnswersSplitIntoOffsetsAndErrorsAndAMissingPartitionIsAnError() {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        ListOffsetsResponseData.ListOffsetsTopicResponse topic = new ListOffsetsResponseData.ListOffsetsTopicResponse().setName("orders");
        topic.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(0).setOffset(42));
        response.topics().add(topic);
        TopicPartition orders2 = new TopicPartition("orders", 2);
        topic.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(2)
                .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        OffsetAndLogDirRequests.OffsetResults results = OffsetAndLogDirRequests.parseListOffsets(List.of(ORDERS_0, ORDERS_1, orders2), response);
        assertEquals(Map.of(ORDERS_0, 42L), results.offsets());
        assertEquals(Map.of(ORDERS_1, Errors.UNKNOWN_SERVER_ERROR, orders2, Errors.NOT_LEADER_OR_FOLLOWER), results.errors());
    }

    @Test
    void aResultKeepsTheAnsweredPartitionsAndAllThrowsTheFirstPartitionsError() {
        ApiException unknown = new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "orders-1 is not in the metadata");
        TimeoutException late = new TimeoutException("no leader of orders-2 answered");
        TopicPartition orders2 = new TopicPartition("orders", 2);
        ListOffsetsResult result = new ListOffsetsResult(Map.of(ORDERS_0, 42L), Map.of(orders2, late, ORDERS_1, unknown));
        assertEquals(42L, result.offset(ORDERS_0));
        assertNull(result.offset(ORDERS_1));
        assertSame(unknown, assertThrows(ApiException.class, result::all), "orders-1 comes before orders-2");
        assertEquals(Map.of(ORDERS_0, 42L), new ListOffsetsResult(Map.of(ORDERS_0, 42L), Map.of()).all());
    }

    @Test
    void logDirsAnswersGiveSizesPerPartitionWithoutFutureReplicas() {
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setLogDir("/data/1").setErrorCode(Errors.NONE.code());
        DescribeLogDirsResponseData.DescribeLogDirsTopic topic = new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName("orders");
        topic.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition().setPartitionIndex(0).setPartitionSize(4096));
        topic.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition().setPartitionIndex(1).setPartitionSize(9)
                .setIsFutureKey(true));
        dir.topics().add(topic);
        response.results().add(dir);
        response.results().add(new DescribeLogDirsResponseData.DescribeLogDirsResult().setLogDir("/data/2")
                .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()));
        assertEquals(List.of(new LogDirDescription("/data/1", "NONE", Map.of(ORDERS_0, 4096L)),
                        new LogDirDescription("/data/2", "KAFKA_STORAGE_ERROR", Map.of())),
                OffsetAndLogDirRequests.parseDescribeLogDirs(response));
    }
}
