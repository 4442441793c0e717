package io.tributary.broker.group;

import io.tributary.broker.replica.Partition;
import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CoordinatorShards} on a real offsets partition of a one-broker cluster: a shard is activated only while
 * its partition is still led at the shard's leader epoch.
 */
class CoordinatorShardsTest {

    private static final TopicPartition P0 = new TopicPartition("tracked", 0);

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;
    private final ExecutorService lanes = Executors.newFixedThreadPool(2);

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(1, 1));
        clients = new GroupClients(cluster);
        clients.createTopic(P0.topic(), 1, 1);
        KafkaConsumer<String, String> consumer = clients.consumer("loaded", Map.of());
        consumer.assign(List.of(P0));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(3))); // creates the offsets topic and writes to it
    }

    @AfterEach
    void stop() throws Exception {
        lanes.shutdownNow();
        clients.close();
        cluster.close();
    }

    @Test
    void aShardIsActivatedOnlyWhileItsPartitionIsLedAtItsEpoch() {
        Partition offsets = cluster.broker(1).replica(new TopicPartition(OffsetsTopic.NAME, 0)).orElseThrow();
        int epoch = offsets.leadership().leaderEpoch();
        // A second coordinator on the same replica (only its loading is used: no OffsetsTopic needed).
        CoordinatorShards shards = new CoordinatorShards(1, null, lanes);

        shards.becameLeader(offsets, epoch + 1); // a notice for a term this replica does not lead
        await().atMost(Duration.ofSeconds(10)).until(() -> shards.all().isEmpty());

        shards.becameLeader(offsets, epoch);
        await().atMost(Duration.ofSeconds(10)).until(() -> shards.all().stream()
                .anyMatch(s -> s.status() == CoordinatorShard.Status.ACTIVE));
        CoordinatorShard active = shards.all().iterator().next();
        assertEquals(epoch, active.leaderEpoch);
        assertTrue(active.groups.containsKey("loaded"), "the groups were loaded from the log");
    }
}
