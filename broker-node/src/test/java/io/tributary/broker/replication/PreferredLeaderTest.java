package io.tributary.broker.replication;

import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leadership goes back to each partition's preferred replica (its first assigned) once that broker returns:
 * on request through the official Admin's electLeaders (what kafka-leader-election sends), and by itself
 * through the imbalance check.
 */
class PreferredLeaderTest {

    private static final String TOPIC = "balanced";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private Admin admin;

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(Map<String, String> settings) throws Exception {
        cluster = new LocalCluster(3, dataDir, settings);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions().stream().allMatch(p -> p.leader() != null
                && p.isr().size() == 3));
    }

    private List<TopicPartitionInfo> partitions() throws Exception {
        TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions();
    }

    private boolean allLedByPreferred() throws Exception {
        return partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() == p.replicas().get(0).id());
    }

    /** Stops a broker (its partitions move away), starts it again and waits until it is back in every ISR. */
    private void bounce(int id) throws Exception {
        cluster.stop(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions().stream().noneMatch(p -> p.leader() != null
                && p.leader().id() == id));
        cluster.start(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions().stream().allMatch(p -> p.isr().size() == 3));
    }

    @Test
    void electLeadersMovesLeadershipBackToThePreferredReplicas() throws Exception {
        start(Map.of("auto.leader.rebalance.enable", "false"));
        int preferredSomewhere = partitions().get(0).replicas().get(0).id();
        bounce(preferredSomewhere);
        assertTrue(!allLedByPreferred(), "broker " + preferredSomewhere + " came back as a follower");

        Map<TopicPartition, Optional<Throwable>> results = admin.electLeaders(ElectionType.PREFERRED, null).partitions().get();
        assertEquals(PARTITIONS, results.size());
        for (TopicPartitionInfo partition : partitions()) {
            assertEquals(partition.replicas().get(0).id(), partition.leader().id(), "leader of partition " + partition.partition());
        }
        Map<TopicPartition, Optional<Throwable>> again = admin.electLeaders(ElectionType.PREFERRED, null).partitions().get();
        again.values().forEach(outcome -> assertInstanceOf(ElectionNotNeededException.class, outcome.orElseThrow()));
    }

    @Test
    void theImbalanceCheckMovesLeadershipBackByItself() throws Exception {
        start(Map.of("leader.imbalance.check.interval.seconds", "1"));
        int preferredSomewhere = partitions().get(0).replicas().get(0).id();
        bounce(preferredSomewhere);
        await().atMost(Duration.ofSeconds(30)).until(this::allLedByPreferred);
    }
}
