package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** The admin requests encode at every version the client negotiates, and answers are read with their errors. */
class ConfigAndPartitionRequestsTest {

    private static ApiMessage roundTrip(ApiKeys api, short version, ApiMessage body) {
        ByteBuffer frame = RequestFrames.encodeRequest(api, version, "test-client", 1, body);
        frame.getInt();
        RequestHeader header = RequestHeader.parse(frame);
        assertEquals(version, header.apiVersion());
        ApiMessage parsed = api.messageType.newRequest();
        parsed.read(new ByteBufferAccessor(frame), version);
        return parsed;
    }

    @Test
    void requestsEncodeAtEveryVersionInOurRange() {
        ConfigResource topic = ConfigResource.topic("orders");
        VersionRange describe = ClientApiVersions.rangeOf(ApiKeys.DESCRIBE_CONFIGS);
        for (short v = describe.min(); v <= describe.max(); v++) {
            var parsed = (DescribeConfigsRequestData) roundTrip(ApiKeys.DESCRIBE_CONFIGS, v, ConfigRequests.describe(topic, v));
            assertEquals("orders", parsed.resources().get(0).resourceName());
            assertEquals((byte) 2, parsed.resources().get(0).resourceType());
        }
        VersionRange alter = ClientApiVersions.rangeOf(ApiKeys.INCREMENTAL_ALTER_CONFIGS);
        for (short v = alter.min(); v <= alter.max(); v++) {
            var parsed = (IncrementalAlterConfigsRequestData) roundTrip(ApiKeys.INCREMENTAL_ALTER_CONFIGS, v,
                    ConfigRequests.alter(ConfigResource.brokerDefault(), List.of(AlterConfigOp.set("log.retention.ms", "5"),
                            AlterConfigOp.delete("message.max.bytes")), true));
            var resource = parsed.resources().iterator().next();
            assertEquals("", resource.resourceName());
            assertEquals((byte) 4, resource.resourceType());
            assertEquals(List.of((byte) 0, (byte) 1), resource.configs().stream().map(c -> c.configOperation()).toList());
        }
        VersionRange delete = ClientApiVersions.rangeOf(ApiKeys.DELETE_RECORDS);
        for (short v = delete.min(); v <= delete.max(); v++) {
            var parsed = (DeleteRecordsRequestData) roundTrip(ApiKeys.DELETE_RECORDS, v, PartitionRequests.deleteRecords(
                    Map.of(new TopicPartition("orders", 3), 42L), 1000));
            assertEquals(42L, parsed.topics().get(0).partitions().get(0).offset());
        }
        VersionRange create = ClientApiVersions.rangeOf(ApiKeys.CREATE_PARTITIONS);
        for (short v = create.min(); v <= create.max(); v++) {
            roundTrip(ApiKeys.CREATE_PARTITIONS, v, PartitionRequests.createPartitions("orders", 6, 1000));
        }
    }

    @Test
    void answersCarrySourcesAndErrors() {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                .setResourceName("orders").setResourceType((byte) 2);
        result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName("retention.ms")
                .setValue("1000").setConfigSource(DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id()));
        response.results().add(result);
        List<ConfigEntry> entries = ConfigRequests.parseDescribe(ConfigResource.topic("orders"), response);
        assertEquals(List.of(new ConfigEntry("retention.ms", "1000", "DYNAMIC_TOPIC_CONFIG", false, false)), entries);
        assertEquals(true, entries.get(0).isOverride(ConfigResource.topic("orders")));

        result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, assertThrows(ApiException.class,
                () -> ConfigRequests.parseDescribe(ConfigResource.topic("orders"), response)).error());

        DeleteRecordsResponseData deleted = new DeleteRecordsResponseData();
        DeleteRecordsResponseData.DeleteRecordsTopicResult topic = new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName("orders");
        topic.partitions().add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult().setPartitionIndex(1).setLowWatermark(9));
        deleted.topics().add(topic);
        assertEquals(Map.of(new TopicPartition("orders", 1), 9L), PartitionRequests.parseDeleteRecords(deleted));
    }
}
