package io.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad topic requests get Kafka's error code and a message that says what was wrong; nothing is created. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateTopicsValidationTest {

    @TempDir
    static Path dataDir;

    private LocalCluster cluster;
    private WireClient client;

    @BeforeAll
    void start() throws Exception {
        cluster = new LocalCluster(2, dataDir);
        client = new WireClient("127.0.0.1", cluster.port(cluster.awaitController()));
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        cluster.close();
    }

    private CreatableTopicResult create(String name, int partitions, int replicationFactor) throws Exception {
        CreateTopicsResponse response = (CreateTopicsResponse) client.send(
                Requests.createTopic(name, partitions, replicationFactor), (short) 7);
        return response.data().topics().iterator().next();
    }

    private boolean exists(String name) throws Exception {
        MetadataResponse response = (MetadataResponse) client.send(new MetadataRequestData().setTopics(null), (short) 12);
        return response.data().topics().find(name) != null;
    }

    private void assertRefused(CreatableTopicResult result, Errors expected, String messagePart) {
        assertEquals(expected.code(), result.errorCode(), result.errorMessage());
        assertTrue(result.errorMessage() != null && result.errorMessage().contains(messagePart),
                "message '" + result.errorMessage() + "' should mention '" + messagePart + "'");
    }

    @Test
    void illegalCharacters() throws Exception {
        assertRefused(create("bad/name", 1, 1), Errors.INVALID_TOPIC_EXCEPTION, "'/'");
        assertTrue(!exists("bad/name"));
    }

    @Test
    void emptyDotAndTooLongNames() throws Exception {
        assertRefused(create("", 1, 1), Errors.INVALID_TOPIC_EXCEPTION, "empty");
        assertRefused(create("..", 1, 1), Errors.INVALID_TOPIC_EXCEPTION, "..");
        assertRefused(create("x".repeat(250), 1, 1), Errors.INVALID_TOPIC_EXCEPTION, "249");
    }

    @Test
    void zeroPartitions() throws Exception {
        assertRefused(create("no-partitions", 0, 1), Errors.INVALID_PARTITIONS, "0");
        assertTrue(!exists("no-partitions"));
    }

    @Test
    void replicationFactorAboveLiveBrokers() throws Exception {
        assertRefused(create("too-many-replicas", 1, 3), Errors.INVALID_REPLICATION_FACTOR, "available brokers: 2");
    }

    @Test
    void aReplicationFactorUpToTheLiveBrokersIsAcceptedAndBeyondItRefused() throws Exception {
        assertRefused(create("too-many-copies", 1, 3), Errors.INVALID_REPLICATION_FACTOR, "larger than the number of available brokers: 2");
        assertTrue(!exists("too-many-copies"));
        CreatableTopicResult replicated = create("replicated", 2, 2);
        assertEquals(Errors.NONE.code(), replicated.errorCode(), replicated.errorMessage());
        assertEquals(2, replicated.replicationFactor());
        assertTrue(exists("replicated"));
    }

    @Test
    void aBrokerThatIsNotTheControllerSaysSo() throws Exception {
        int controller = cluster.awaitController();
        try (WireClient other = new WireClient("127.0.0.1", cluster.port(controller == 1 ? 2 : 1))) {
            CreateTopicsResponse response = (CreateTopicsResponse) other.send(Requests.createTopic("elsewhere", 1, 1), (short) 7);
            CreatableTopicResult result = response.data().topics().iterator().next();
            assertEquals(Errors.NOT_CONTROLLER.code(), result.errorCode(), result.errorMessage());
        }
        assertTrue(!exists("elsewhere"));
    }

    @Test
    void duplicateAndCollidingNames() throws Exception {
        assertEquals(Errors.NONE.code(), create("metrics.cpu", 1, 1).errorCode());
        assertRefused(create("metrics.cpu", 1, 1), Errors.TOPIC_ALREADY_EXISTS, "metrics.cpu");
        CreatableTopicResult colliding = create("metrics_cpu", 1, 1);
        assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), colliding.errorCode(), colliding.errorMessage());
        assertTrue(!exists("metrics_cpu"));
    }

    @Test
    void unknownTopicConfig() throws Exception {
        CreateTopicsResponse response = (CreateTopicsResponse) client.send(Requests.createTopics(
                new CreateTopicsRequestData.CreatableTopic().setName("configured").setNumPartitions(1)
                        .setReplicationFactor((short) 1)
                        .setConfigs(new CreateTopicsRequestData.CreatableTopicConfigCollection(List.of(
                                new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.msec")
                                        .setValue("1000")).iterator()))), (short) 7);
        assertRefused(response.data().topics().iterator().next(), Errors.INVALID_CONFIG, "retention.msec");
    }
}
