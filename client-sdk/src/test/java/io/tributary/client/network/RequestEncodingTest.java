package io.tributary.client.network;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestEncodingTest {

    /** Writes a response frame (without the size prefix) the way a broker does. */
    static ByteBuffer responseFrame(ApiKeys api, short version, int correlationId, ApiMessage body, short bodyVersion) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = api.responseHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, bodyVersion);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, bodyVersion);
        buffer.flip();
        return buffer;
    }

    static ApiMessage parseRequest(ByteBuffer frame, ApiKeys api, short version, int correlationId) {
        int size = frame.getInt();
        assertEquals(frame.remaining(), size, "size prefix");
        RequestHeader header = RequestHeader.parse(frame);
        assertEquals(api, header.apiKey());
        assertEquals(version, header.apiVersion());
        assertEquals(correlationId, header.correlationId());
        assertEquals("test-client", header.clientId());
        ApiMessage body = api.messageType.newRequest();
        body.read(new ByteBufferAccessor(frame), version);
        assertFalse(frame.hasRemaining(), "the whole frame is consumed");
        return body;
    }

    @Test
    void metadataRequestsEncodeAtEveryVersionInOurRange() {
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.METADATA);
        for (short v = range.min(); v <= range.max(); v++) {
            ByteBuffer frame = RequestFrames.encodeRequest(ApiKeys.METADATA, v, "test-client", 7,
                    MetadataRequests.build(v, List.of("a", "b"), false));
            MetadataRequestData parsed = (MetadataRequestData) parseRequest(frame, ApiKeys.METADATA, v, 7);
            assertEquals(List.of("a", "b"), parsed.topics().stream().map(MetadataRequestData.MetadataRequestTopic::name).toList());
            assertEquals(v < 4, parsed.allowAutoTopicCreation(), "auto-creation is off wherever the field exists (v" + v + ")");

            MetadataRequestData all = (MetadataRequestData) parseRequest(RequestFrames.encodeRequest(ApiKeys.METADATA, v,
                    "test-client", 8, MetadataRequests.build(v, null, true)), ApiKeys.METADATA, v, 8);
            assertNull(all.topics(), "null topics means all topics (v" + v + ")");
        }
    }

    @Test
    void apiVersionsResponseIsDecodedAtV0WhenTheBrokerRejectsOurVersion() {
        ApiVersionsResponseData rejection = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        rejection.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.API_VERSIONS.id)
                .setMinVersion((short) 0).setMaxVersion((short) 2));
        // KIP-511: the broker answers in v0 whatever we asked, with a v0 response header.
        ByteBuffer frame = responseFrame(ApiKeys.API_VERSIONS, (short) 3, 11, rejection, (short) 0);
        assertEquals(11, RequestFrames.correlationId(frame, ApiKeys.API_VERSIONS, (short) 3));
        ClientResponse response = RequestFrames.decodeBody(frame, ApiKeys.API_VERSIONS, (short) 3);
        assertEquals(0, response.version());
        ApiVersionsResponseData body = response.body(ApiVersionsResponseData.class);
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.errorCode());
        assertEquals(2, body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion());
    }

    @Test
    void apiVersionsRequestCarriesTheClientSoftwareNameAtV3() {
        ApiVersionsRequestData body = new ApiVersionsRequestData().setClientSoftwareName("tributary-client").setClientSoftwareVersion("0.1.0");
        ApiVersionsRequestData parsed = (ApiVersionsRequestData) parseRequest(
                RequestFrames.encodeRequest(ApiKeys.API_VERSIONS, (short) 3, "test-client", 0, body), ApiKeys.API_VERSIONS, (short) 3, 0);
        assertEquals("tributary-client", parsed.clientSoftwareName());
        assertTrue(new org.apache.kafka.common.requests.ApiVersionsRequest(parsed, (short) 3).isValid(),
                "software name and version must match KIP-511's pattern");
    }

    @Test
    void metadataResponsesDecodeIntoASnapshotAtEveryVersion() {
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.METADATA);
        for (short v = range.min(); v <= range.max(); v++) {
            MetadataResponseData data = new MetadataResponseData().setControllerId(2).setClusterId(v >= 2 ? "cluster-x" : null);
            data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("h1").setPort(9001).setRack(null));
            data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(2).setHost("h2").setPort(9002).setRack(null));
            MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic().setName("orders");
            topic.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(1).setLeaderId(2)
                    .setReplicaNodes(List.of(2, 3)).setIsrNodes(List.of(2)));
            topic.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(0).setLeaderId(-1)
                    .setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setReplicaNodes(List.of(1)).setIsrNodes(List.of()));
            data.topics().add(topic);
            ByteBuffer frame = responseFrame(ApiKeys.METADATA, v, 5, data, v);
            assertEquals(5, RequestFrames.correlationId(frame, ApiKeys.METADATA, v));
            ClusterSnapshot snapshot = MetadataRequests.parse(
                    RequestFrames.decodeBody(frame, ApiKeys.METADATA, v).body(MetadataResponseData.class), 123L);

            assertEquals(v >= 2 ? "cluster-x" : null, snapshot.clusterId());
            assertEquals(2, snapshot.controller().id());
            TopicPartition p1 = new TopicPartition("orders", 1);
            assertEquals("h2", snapshot.leaderFor(p1).orElseThrow().host());
            assertTrue(snapshot.leaderFor(new TopicPartition("orders", 0)).isEmpty());
            var infos = snapshot.partitionInfos("orders");
            assertEquals(List.of(0, 1), infos.stream().map(i -> i.partition()).toList(), "sorted by partition");
            // Broker 3 is a replica but not alive: shown as an unknown node, as Kafka's clients do.
            assertEquals(List.of(2, 3), infos.get(1).replicas().stream().map(n -> n.id()).toList());
            assertEquals(-1, infos.get(1).replicas().get(1).port());
            assertNull(infos.get(0).leader());
        }
    }
}
