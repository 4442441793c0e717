package io.tributary.broker.group;

import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.testing.LocalCluster;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit written to the offsets partition but not yet committed there is pending: DeleteGroups refuses the group
 * meanwhile (NON_EMPTY_GROUP) rather than writing tombstones behind it, so the acknowledged commit is what the log
 * replays. The offsets partition's writer is held by the test to keep the commit in flight.
 */
class PendingCommitTest {

    private static final TopicPartition P0 = new TopicPartition("tracked", 0);

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;
    private final ExecutorService lanes = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(1, 1));
        clients = new GroupClients(cluster);
        clients.createTopic(P0.topic(), 1, 1);
        KafkaConsumer<String, String> consumer = clients.consumer("racing", Map.of());
        consumer.assign(List.of(P0));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5))); // the offset a deletion would tombstone
    }

    @AfterEach
    void stop() throws Exception {
        lanes.shutdownNow();
        timers.shutdownNow();
        clients.close();
        cluster.close();
    }

    private static RequestContext context(ApiKeys api, int version) {
        return new RequestContext(new RequestHeader(api, (short) version, "tester", 1), "local-remote");
    }

    @Test
    void deleteGroupsRefusesAGroupWithACommitInFlightAndTheCommitIsWhatTheLogReplays() throws Exception {
        Partition offsets = cluster.broker(1).replica(new TopicPartition(OffsetsTopic.NAME, 0)).orElseThrow();
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            TopicMetadataCache metadata = new TopicMetadataCache(zk);
            metadata.start();
            GroupSettings settings = new GroupSettings(0, 500, 300_000, 100, 30_000, 4096, 600_000);
            // A coordinator of our own over the broker's offsets replica, so the test can call it between two steps.
            CoordinatorShards shards = new CoordinatorShards(1, new OffsetsTopic(1, metadata, null, null, 1, 1, 1 << 20, null), lanes);
            GroupCoordinator coordinator = new GroupCoordinator(1, shards, timers, settings);
            OffsetManager manager = new OffsetManager(1, shards, coordinator, metadata, settings);
            GroupAdmin admin = new GroupAdmin(1, shards, coordinator);
            shards.becameLeader(offsets, offsets.leadership().leaderEpoch());
            await().atMost(Duration.ofSeconds(10)).until(() -> shards.all().stream()
                    .anyMatch(s -> s.status() == CoordinatorShard.Status.ACTIVE));

            CountDownLatch release = new CountDownLatch(1);
            offsets.onWriter(() -> {
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<OffsetCommitResponseData> commit = manager.commit(context(ApiKeys.OFFSET_COMMIT, 8),
                    new OffsetCommitRequestData().setGroupId("racing").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(P0.topic())
                                    .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                            .setPartitionIndex(0).setCommittedOffset(9))))));
            assertFalse(commit.isDone(), "the commit waits behind the held writer");

            DeleteGroupsResponseData deleted = admin.deleteGroups(context(ApiKeys.DELETE_GROUPS, 2),
                    new DeleteGroupsRequestData().setGroupsNames(List.of("racing"))).get(30, TimeUnit.SECONDS);
            assertEquals(Errors.NON_EMPTY_GROUP.code(), deleted.results().find("racing").errorCode());

            release.countDown();
            OffsetCommitResponseData committed = commit.get(30, TimeUnit.SECONDS);
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode());

            GroupLoader.Loaded replayed = GroupLoader.replay(offsets);
            assertEquals(9, replayed.offsets().get("racing").get(P0).offset(), "the acknowledged commit is in the log");
            ClassicGroup group = shards.all().iterator().next().groups.get("racing");
            synchronized (group) {
                assertEquals(9, group.offsets.get(P0).offset());
                assertTrue(group.pendingCommits.isEmpty(), "nothing is pending once the commit is answered");
            }
            // Settled, the group can go now.
            DeleteGroupsResponseData again = admin.deleteGroups(context(ApiKeys.DELETE_GROUPS, 2),
                    new DeleteGroupsRequestData().setGroupsNames(List.of("racing"))).get(30, TimeUnit.SECONDS);
            assertEquals(Errors.NONE.code(), again.results().find("racing").errorCode());
            assertTrue(GroupLoader.replay(offsets).offsets().getOrDefault("racing", Map.of()).isEmpty());
        }
    }
}
