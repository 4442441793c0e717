package io.tributary.broker.group;

import io.tributary.broker.replica.Partition;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.testing.LocalCluster;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CoordinatorShards} on a real offsets partition of a one-broker cluster: a shard is activated only while
 * its partition is still led at the shard's leader epoch, and a join racing the shard's unload is told
 * NOT_COORDINATOR instead of parking in a group nobody serves; a load that fails is retried.
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

    @Test
    void aJoinThatFindsItsShardUnloadedOnceItHoldsTheGroupIsToldNotCoordinator() throws Exception {
        Partition offsets = cluster.broker(1).replica(new TopicPartition(OffsetsTopic.NAME, 0)).orElseThrow();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            TopicMetadataCache metadata = new TopicMetadataCache(zk);
            metadata.start();
            // A second coordinator over the broker's own offsets replica: its shard can be unloaded at a chosen moment.
            OffsetsTopic topic = new OffsetsTopic(1, metadata, null, null, 1, 1, 1 << 20, null);
            CoordinatorShards shards = new CoordinatorShards(1, topic, lanes);
            GroupCoordinator coordinator = new GroupCoordinator(1, shards, timers,
                    new GroupSettings(0, 500, 300_000, 100, 5000, 4096, 600_000));
            shards.becameLeader(offsets, offsets.leadership().leaderEpoch());
            await().atMost(Duration.ofSeconds(10)).until(() -> shards.all().stream()
                    .anyMatch(s -> s.status() == CoordinatorShard.Status.ACTIVE));
            ClassicGroup group = shards.all().iterator().next().groups.get("loaded");

            JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("loaded").setMemberId("")
                    .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(300_000)
                    .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                            new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])).iterator()));
            RequestContext context = new RequestContext(new RequestHeader(ApiKeys.JOIN_GROUP, (short) 5, "joiner", 1), "local-remote");
            CompletableFuture<JoinGroupResponseData> answer = new CompletableFuture<>();
            Thread joiner = new Thread(() -> coordinator.joinGroup(context, join).whenComplete((r, e) -> {
                if (e != null) {
                    answer.completeExceptionally(e);
                } else {
                    answer.complete(r);
                }
            }));
            synchronized (group) {
                joiner.start(); // passes shardFor, then waits for the group's lock
                await().atMost(Duration.ofSeconds(10)).until(() -> joiner.getState() == Thread.State.BLOCKED);
                shards.resigned(offsets); // the shard is unloaded while the join waits
            }
            assertEquals(Errors.NOT_COORDINATOR.code(), answer.get(30, TimeUnit.SECONDS).errorCode());
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void aLoadThatFailsIsRetriedUntilTheShardServes() {
        Partition offsets = cluster.broker(1).replica(new TopicPartition(OffsetsTopic.NAME, 0)).orElseThrow();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        CoordinatorShards shards = new CoordinatorShards(1, null, lanes, partition -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a segment went away under the read"); // as a concurrent cleaning could
            }
            return GroupLoader.replay(partition);
        });
        shards.becameLeader(offsets, offsets.leadership().leaderEpoch());
        await().atMost(Duration.ofSeconds(30)).until(() -> shards.all().stream()
                .anyMatch(s -> s.status() == CoordinatorShard.Status.ACTIVE));
        assertEquals(2, attempts.get());
        assertTrue(shards.all().iterator().next().groups.containsKey("loaded"));
    }
}
