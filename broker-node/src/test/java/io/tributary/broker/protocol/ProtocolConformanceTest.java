package io.tributary.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every advertised API at every advertised version, against a real broker, parsed back with the
 * official codec: catches fields set at versions that lack them and answers a client could not read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolConformanceTest {

    @TempDir
    static Path dataDir;

    private LocalCluster cluster;
    private WireClient client;
    private ApiVersionsResponseData advertised;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster(1, dataDir);
        client = new WireClient("127.0.0.1", cluster.port(1));
        advertised = ((ApiVersionsResponse) client.send(new ApiVersionsRequestData(), (short) 0)).data();
    }

    @AfterAll
    void stopCluster() throws Exception {
        client.close();
        cluster.close();
    }

    /** The advertised versions that are also served (Produce advertises v0-2 without serving them). */
    private List<Short> versions(ApiKeys api) {
        ApiVersionsResponseData.ApiVersion range = advertised.apiKeys().find(api.id);
        List<Short> versions = new ArrayList<>();
        for (short v = (short) Math.max(range.minVersion(), api.oldestVersion()); v <= range.maxVersion(); v++) {
            versions.add(v);
        }
        return versions;
    }

    @Test
    void advertisesExactlyTheImplementedApis() {
        List<Short> keys = advertised.apiKeys().stream().map(ApiVersionsResponseData.ApiVersion::apiKey).sorted().toList();
        assertEquals(List.of(ApiKeys.PRODUCE.id, ApiKeys.FETCH.id, ApiKeys.LIST_OFFSETS.id, ApiKeys.METADATA.id,
                ApiKeys.FIND_COORDINATOR.id, ApiKeys.API_VERSIONS.id, ApiKeys.CREATE_TOPICS.id, ApiKeys.DELETE_TOPICS.id,
                ApiKeys.INIT_PRODUCER_ID.id, ApiKeys.OFFSET_FOR_LEADER_EPOCH.id, ApiKeys.ELECT_LEADERS.id,
                // the group coordinator (io.tributary.broker.group.GroupProtocolConformanceTest exercises them)
                ApiKeys.OFFSET_COMMIT.id, ApiKeys.OFFSET_FETCH.id, ApiKeys.JOIN_GROUP.id, ApiKeys.HEARTBEAT.id,
                ApiKeys.LEAVE_GROUP.id, ApiKeys.SYNC_GROUP.id, ApiKeys.DESCRIBE_GROUPS.id, ApiKeys.LIST_GROUPS.id,
                ApiKeys.DELETE_GROUPS.id, ApiKeys.OFFSET_DELETE.id,
                // The admin APIs (broker admin package; AdminProtocolConformanceTest covers their versions).
                ApiKeys.DELETE_RECORDS.id, ApiKeys.DESCRIBE_CONFIGS.id, ApiKeys.ALTER_CONFIGS.id, ApiKeys.DESCRIBE_LOG_DIRS.id,
                ApiKeys.CREATE_PARTITIONS.id, ApiKeys.INCREMENTAL_ALTER_CONFIGS.id, ApiKeys.LIST_PARTITION_REASSIGNMENTS.id,
                ApiKeys.DESCRIBE_CLUSTER.id).stream().sorted().toList(), keys);
    }

    /** KAFKA-18659: Produce v0-2 are advertised so librdkafka compresses, but a request at them is refused. */
    @Test
    void produceBelowV3IsAdvertisedButRefused() throws Exception {
        assertEquals(0, advertised.apiKeys().find(ApiKeys.PRODUCE.id).minVersion());
        byte[] frame = WireClient.encode(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000), (short) 3, 5);
        java.nio.ByteBuffer.wrap(frame).putShort(6, (short) 2);
        try (WireClient other = new WireClient("127.0.0.1", cluster.port(1))) {
            other.sendRaw(frame);
            assertTrue(other.isClosedByPeer());
        }
    }

    @Test
    void findCoordinatorFindsTheGroupCoordinatorAtEveryVersion() throws Exception {
        // The first request creates __consumer_offsets; its partitions need leaders before anyone coordinates.
        org.awaitility.Awaitility.await("coordinator").atMost(java.time.Duration.ofSeconds(30)).until(() ->
                ((FindCoordinatorResponse) client.send(new FindCoordinatorRequestData().setKey("group-a"), (short) 3))
                        .data().errorCode() == Errors.NONE.code());
        org.awaitility.Awaitility.await("coordinator").atMost(java.time.Duration.ofSeconds(30)).until(() ->
                ((FindCoordinatorResponse) client.send(new FindCoordinatorRequestData().setKey("group-b"), (short) 3))
                        .data().errorCode() == Errors.NONE.code());
        for (short v : versions(ApiKeys.FIND_COORDINATOR)) {
            FindCoordinatorRequestData request = new FindCoordinatorRequestData();
            if (v >= 4) {
                request.setCoordinatorKeys(List.of("group-a", "group-b"));
            } else {
                request.setKey("group-a");
            }
            FindCoordinatorResponse response = (FindCoordinatorResponse) client.send(request, v);
            if (v >= 4) {
                assertEquals(2, response.data().coordinators().size(), "FindCoordinator v" + v);
                response.data().coordinators().forEach(c -> {
                    assertEquals(Errors.NONE.code(), c.errorCode(), "FindCoordinator v" + v);
                    assertEquals(1, c.nodeId(), "FindCoordinator v" + v);
                    assertEquals(cluster.port(1), c.port(), "FindCoordinator v" + v);
                });
            } else {
                assertEquals(Errors.NONE.code(), response.data().errorCode(), "FindCoordinator v" + v);
                assertEquals(1, response.data().nodeId(), "FindCoordinator v" + v);
            }
        }
    }

    @Test
    void apiVersionsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.API_VERSIONS)) {
            ApiVersionsRequestData request = new ApiVersionsRequestData();
            if (v >= 3) {
                request.setClientSoftwareName("conformance").setClientSoftwareVersion("1");
            }
            ApiVersionsResponse response = (ApiVersionsResponse) client.send(request, v);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertEquals(advertised.apiKeys().size(), response.data().apiKeys().size(), "v" + v);
        }
    }

    @Test
    void everyDataApiAtEveryVersion() throws Exception {
        String topic = "conformance";
        CreateTopicsResponse created = (CreateTopicsResponse) client.send(Requests.createTopic(topic, 1, 1), (short) 7);
        assertEquals(Errors.NONE.code(), created.data().topics().find(topic).errorCode());
        Uuid topicId = created.data().topics().find(topic).topicId();
        assertFalse(topicId.equals(Uuid.ZERO_UUID));
        cluster.awaitLeader(topic, 0);

        for (short v : versions(ApiKeys.METADATA)) {
            MetadataRequestData request = new MetadataRequestData()
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
            MetadataResponse response = (MetadataResponse) client.send(request, v);
            var topicMetadata = response.data().topics().find(topic);
            assertEquals(Errors.NONE.code(), topicMetadata.errorCode(), "Metadata v" + v);
            assertEquals(1, topicMetadata.partitions().get(0).leaderId(), "Metadata v" + v);
            assertEquals(List.of(1), topicMetadata.partitions().get(0).replicaNodes(), "Metadata v" + v);
            assertEquals(1, response.data().brokers().size(), "Metadata v" + v);
            if (v >= 10) {
                assertEquals(topicId, topicMetadata.topicId(), "Metadata v" + v);
            }
        }

        // Recent timestamps: a segment whose first record is older than segment.ms rolls at once.
        long baseTimestamp = System.currentTimeMillis() - 60_000;
        long expectedOffset = 0;
        for (short v : versions(ApiKeys.PRODUCE)) {
            String value = "value-at-produce-v" + v;
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(baseTimestamp + v, ("key-" + v).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                    .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records)));
            if (v >= 13) {
                topicData.setTopicId(topicId);
            } else {
                topicData.setName(topic);
            }
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                    .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(topicData).iterator()));
            ProduceResponse response = (ProduceResponse) client.send(request, v);
            var partition = response.data().responses().iterator().next().partitionResponses().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode(), "Produce v" + v);
            assertEquals(expectedOffset, partition.baseOffset(), "Produce v" + v);
            expectedOffset++;
        }

        for (short v : versions(ApiKeys.FETCH)) {
            FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic()
                    .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                            .setPartitionMaxBytes(1 << 20)));
            if (v >= 13) {
                fetchTopic.setTopicId(topicId);
            } else {
                fetchTopic.setTopic(topic);
            }
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                    .setTopics(List.of(fetchTopic));
            if (v < 15) {
                request.setReplicaId(-1);
            }
            FetchResponse response = (FetchResponse) client.send(request, v);
            var partition = response.data().responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode(), "Fetch v" + v);
            assertEquals(expectedOffset, partition.highWatermark(), "Fetch v" + v);
            List<String> values = new ArrayList<>();
            for (RecordBatch batch : FetchResponse.recordsOrFail(partition).batches()) {
                for (Record record : batch) {
                    values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                }
            }
            assertEquals(expectedOffset, values.size(), "Fetch v" + v);
            assertEquals("value-at-produce-v3", values.get(0), "Fetch v" + v);
        }

        for (short v : versions(ApiKeys.LIST_OFFSETS)) {
            for (long[] query : new long[][]{{-2, 0}, {-1, expectedOffset}, {baseTimestamp + 3, 0}, {baseTimestamp + 4, 1}}) {
                ListOffsetsResponse response = (ListOffsetsResponse) client.send(Requests.listOffset(topic, 0, query[0]), v);
                var partition = response.data().topics().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "ListOffsets v" + v + " ts " + query[0]);
                assertEquals(query[1], partition.offset(), "ListOffsets v" + v + " ts " + query[0]);
            }
        }

        for (short v : versions(ApiKeys.INIT_PRODUCER_ID)) {
            InitProducerIdResponse response = (InitProducerIdResponse) client.send(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000), v);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "InitProducerId v" + v);
            assertTrue(response.data().producerId() >= 0, "InitProducerId v" + v);
        }
    }

    @Test
    void createAndDeleteTopicsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.CREATE_TOPICS)) {
            String name = "create-v" + v;
            CreateTopicsResponse response = (CreateTopicsResponse) client.send(Requests.createTopic(name, 2, 1), v);
            assertEquals(Errors.NONE.code(), response.data().topics().find(name).errorCode(), "CreateTopics v" + v);
            if (v >= 5) {
                assertEquals(2, response.data().topics().find(name).numPartitions(), "CreateTopics v" + v);
            }
        }
        List<Short> deleteVersions = versions(ApiKeys.DELETE_TOPICS);
        List<Short> createVersions = versions(ApiKeys.CREATE_TOPICS);
        for (int i = 0; i < deleteVersions.size(); i++) {
            short v = deleteVersions.get(i);
            String name = "create-v" + createVersions.get(i % createVersions.size());
            DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(30_000);
            if (v >= 6) {
                request.setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(name)));
            } else {
                request.setTopicNames(List.of(name));
            }
            DeleteTopicsResponse response = (DeleteTopicsResponse) client.send(request, v);
            var result = response.data().responses().iterator().next();
            Errors expected = i < createVersions.size() ? Errors.NONE : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            assertEquals(expected.code(), result.errorCode(), "DeleteTopics v" + v + " of " + name);
        }
    }
}
