package io.tributary.broker.admin;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every admin API at every advertised version, parsed back with the official codec: a field set beyond its
 * version would fail the encode, a wrong layout the parse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminProtocolConformanceTest {

    private static final String TOPIC = "admin-conformance";

    @TempDir
    static Path dataDir;
    private LocalCluster cluster;
    private WireClient client;
    private ApiVersionsResponseData advertised;

    @BeforeAll
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir);
        client = new WireClient("127.0.0.1", cluster.port(1));
        advertised = ((ApiVersionsResponse) client.send(new ApiVersionsRequestData(), (short) 0)).data();
        client.send(Requests.createTopic(TOPIC, 1, 1), (short) 7);
        cluster.awaitLeader(TOPIC, 0);
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        cluster.close();
    }

    private List<Short> versions(ApiKeys api) {
        ApiVersionsResponseData.ApiVersion range = advertised.apiKeys().find(api.id);
        List<Short> versions = new ArrayList<>();
        for (short v = range.minVersion(); v <= range.maxVersion(); v++) {
            versions.add(v);
        }
        assertFalse(versions.isEmpty(), api + " is advertised");
        return versions;
    }

    @Test
    void describeConfigsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.DESCRIBE_CONFIGS)) {
            DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true)
                    .setIncludeDocumentation(v >= 3)
                    .setResources(List.of(
                            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                                    .setResourceName(TOPIC),
                            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id())
                                    .setResourceName("1"),
                            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                                    .setResourceName("no-such-topic")));
            DescribeConfigsResponse response = (DescribeConfigsResponse) client.send(request, v);
            var results = response.data().results();
            assertEquals(Errors.NONE.code(), results.get(0).errorCode(), "v" + v + " " + results);
            assertTrue(results.get(0).configs().stream().anyMatch(c -> c.name().equals("retention.ms")
                    && c.value().equals("604800000")), "v" + v + " " + results.get(0));
            var retention = results.get(0).configs().stream().filter(c -> c.name().equals("retention.ms")).findFirst().orElseThrow();
            assertEquals(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id(), retention.configSource(), "v" + v);
            assertEquals("log.retention.ms", retention.synonyms().get(0).name(), "v" + v);
            if (v >= 3) {
                assertEquals(DescribeConfigsResponse.ConfigType.LONG.id(), retention.configType(), "v" + v);
                assertTrue(retention.documentation() != null && !retention.documentation().isEmpty(), "v" + v);
            }
            assertEquals(Errors.NONE.code(), results.get(1).errorCode(), "v" + v);
            assertTrue(results.get(1).configs().stream().anyMatch(c -> c.name().equals("log.retention.ms")), "v" + v);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), results.get(2).errorCode(), "v" + v);
        }
    }

    @Test
    void alterConfigsAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.INCREMENTAL_ALTER_CONFIGS)) {
            IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(true);
            IncrementalAlterConfigsRequestData.AlterConfigsResource resource = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC);
            resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                    .setConfigOperation((byte) 0).setValue("1000"));
            request.resources().add(resource);
            IncrementalAlterConfigsResponse response = (IncrementalAlterConfigsResponse) client.send(request, v);
            assertEquals(Errors.NONE.code(), response.data().responses().get(0).errorCode(), "v" + v);
        }
        for (short v : versions(ApiKeys.ALTER_CONFIGS)) {
            AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(true);
            AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC);
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("nope"));
            request.resources().add(resource);
            AlterConfigsResponse response = (AlterConfigsResponse) client.send(request, v);
            assertEquals(Errors.INVALID_CONFIG.code(), response.data().responses().get(0).errorCode(), "v" + v);
        }
    }

    @Test
    void createPartitionsDeleteRecordsAndDescribeAtEveryVersion() throws Exception {
        for (short v : versions(ApiKeys.CREATE_PARTITIONS)) {
            CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(10_000).setValidateOnly(true);
            request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(TOPIC).setCount(1));
            CreatePartitionsResponse response = (CreatePartitionsResponse) client.send(request, v);
            assertEquals(Errors.INVALID_PARTITIONS.code(), response.data().results().get(0).errorCode(), "v" + v);
        }
        for (short v : versions(ApiKeys.DELETE_RECORDS)) {
            DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(10_000);
            request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(TOPIC).setPartitions(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1))));
            DeleteRecordsResponse response = (DeleteRecordsResponse) client.send(request, v);
            var partition = response.data().topics().find(TOPIC).partitions().find(0);
            assertEquals(Errors.NONE.code(), partition.errorCode(), "v" + v);
            assertEquals(0, partition.lowWatermark(), "v" + v);
        }
        for (short v : versions(ApiKeys.DESCRIBE_LOG_DIRS)) {
            DescribeLogDirsResponse response = (DescribeLogDirsResponse) client.send(new DescribeLogDirsRequestData().setTopics(null), v);
            var dir = response.data().results().get(0);
            assertEquals(Errors.NONE.code(), dir.errorCode(), "v" + v);
            assertTrue(dir.topics().stream().anyMatch(t -> t.name().equals(TOPIC)), "v" + v);
            if (v >= 4) {
                assertTrue(dir.totalBytes() > 0 && dir.usableBytes() >= 0, "v" + v);
            }
        }
        for (short v : versions(ApiKeys.DESCRIBE_CLUSTER)) {
            DescribeClusterResponse response = (DescribeClusterResponse) client.send(new DescribeClusterRequestData(), v);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertEquals(1, response.data().brokers().size(), "v" + v);
            assertEquals(1, response.data().controllerId(), "v" + v);
        }
        for (short v : versions(ApiKeys.LIST_PARTITION_REASSIGNMENTS)) {
            ListPartitionReassignmentsResponse response = (ListPartitionReassignmentsResponse) client.send(
                    new ListPartitionReassignmentsRequestData().setTopics(null), v);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertTrue(response.data().topics().isEmpty(), "v" + v);
        }
    }
}
