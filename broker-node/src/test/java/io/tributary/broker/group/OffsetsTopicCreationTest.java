package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.WireClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * As Kafka (KIP-115), {@code __consumer_offsets} is created only once offsets.topic.replication.factor brokers are
 * alive; until then FindCoordinator answers COORDINATOR_NOT_AVAILABLE, saying why.
 */
class OffsetsTopicCreationTest {

    @TempDir
    Path dataDir;
    private LocalCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private FindCoordinatorResponseData findCoordinator(String group) throws Exception {
        try (WireClient client = new WireClient("127.0.0.1", cluster.port(1))) {
            return ((FindCoordinatorResponse) client.send(new FindCoordinatorRequestData().setKey(group), (short) 3)).data();
        }
    }

    private boolean offsetsTopicExists(Admin admin) throws Exception {
        return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().contains(OffsetsTopic.NAME);
    }

    @Test
    void theOffsetsTopicWaitsForItsReplicationFactorInLiveBrokers() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(GroupClients.fastGroups(2, 2));
        cluster = new LocalCluster(1, dataDir, settings);
        GroupClients clients = new GroupClients(cluster);
        try (Admin admin = clients.admin()) {
            for (int i = 0; i < 3; i++) {
                FindCoordinatorResponseData refused = findCoordinator("early");
                assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), refused.errorCode());
                assertTrue(refused.errorMessage().contains("offsets.topic.replication.factor=2"), refused.errorMessage());
            }
            assertFalse(offsetsTopicExists(admin), "not created with fewer replicas than configured");

            cluster.start(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> findCoordinator("early").errorCode() == Errors.NONE.code());
            assertTrue(offsetsTopicExists(admin));
            admin.describeTopics(List.of(OffsetsTopic.NAME)).allTopicNames().get().get(OffsetsTopic.NAME).partitions()
                    .forEach(p -> assertEquals(2, p.replicas().size(), "every partition has the configured replicas"));
        }
        clients.createTopic("t", 1, 2);
        KafkaConsumer<String, String> consumer = clients.consumer("early", Map.of());
        consumer.assign(List.of(new TopicPartition("t", 0)));
        consumer.commitSync(Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(4)));
        assertEquals(4, consumer.committed(java.util.Set.of(new TopicPartition("t", 0))).get(new TopicPartition("t", 0)).offset());
        clients.close();
    }
}
