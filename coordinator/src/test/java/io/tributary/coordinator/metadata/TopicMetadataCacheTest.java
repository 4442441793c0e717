package io.tributary.coordinator.metadata;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.controller.Controller;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import io.tributary.zk.model.TopicAssignment;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicMetadataCacheTest extends ZkTestBase {

    private final List<TopicMetadata> changes = new CopyOnWriteArrayList<>();
    private final List<String> deletions = new CopyOnWriteArrayList<>();

    private TopicMetadataCache startedCache() {
        TopicMetadataCache cache = closeAfterTest(new TopicMetadataCache(newClient()));
        cache.addListener(new TopicMetadataCache.Listener() {
            @Override
            public void topicChanged(TopicMetadata topic) {
                changes.add(topic);
            }

            @Override
            public void topicDeleted(String name) {
                deletions.add(name);
            }
        });
        cache.start();
        return cache;
    }

    @Test
    void existingTopicsAreLoadedBeforeStartReturns() {
        TopicStore store = new TopicStore(newClient());
        TopicAssignment created = store.createTopic("early", Map.of(0, List.of(1, 2)), Map.of("retention.ms", "5"));
        TopicMetadataCache cache = startedCache();

        TopicMetadata expected = new TopicMetadata("early", created.topicId(),
                Map.of(0, new PartitionMetadata(0, List.of(1, 2), PartitionState.initial(List.of(1, 2)), 0)),
                Map.of("retention.ms", "5"));
        assertEquals(Map.of("early", expected), cache.topics());
        assertEquals(Optional.of(expected), cache.topicById(created.topicId()));
        assertEquals(List.of(expected), changes);
    }

    @Test
    void newTopicsStateChangesAndDeletionsArePublishedCoherently() throws Exception {
        CuratorFramework zk = newClient();
        TopicStore store = new TopicStore(zk);
        TopicMetadataCache cache = startedCache();
        assertEquals(Map.of(), cache.topics());

        TopicAssignment created = store.createTopic("orders", Map.of(0, List.of(1, 2), 1, List.of(2, 3), 2, List.of(3, 1)), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.topic("orders").isPresent());
        TopicMetadata orders = cache.topic("orders").orElseThrow();
        assertEquals(created.topicId(), orders.topicId());
        assertEquals(List.of(3, 1), orders.partitions().get(2).replicas());
        assertEquals(PartitionState.initial(List.of(3, 1)), orders.partitions().get(2).state());

        assertTrue(store.casPartitionState("orders", 1, new PartitionState(2, 1, List.of(2, 3)), 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.topic("orders").orElseThrow().partitions().get(1).stateZkVersion() == 1);
        PartitionMetadata p1 = cache.topic("orders").orElseThrow().partitions().get(1);
        assertEquals(new PartitionMetadata(1, List.of(2, 3), new PartitionState(2, 1, List.of(2, 3)), 1), p1);
        assertEquals(2, p1.leader());

        zk.setData().forPath(ZkPaths.topicConfig("orders"), ZkJson.toBytes(new io.tributary.zk.model.TopicConfig(Map.of("cleanup.policy", "delete"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.topic("orders").orElseThrow().configs().equals(Map.of("cleanup.policy", "delete")));

        ControllerElection election = closeAfterTest(new ControllerElection(zk, 1));
        closeAfterTest(new Controller(zk, election)).start();
        election.start();
        store.markForDeletion("orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> deletions.equals(List.of("orders")));
        assertEquals(Map.of(), cache.topics());
        assertEquals(Optional.empty(), cache.topicById(created.topicId()));

        // Coherence: no listener ever saw a partition without its state.
        assertTrue(changes.size() >= 3, "created, state change, config change: " + changes);
        for (TopicMetadata seen : changes) {
            assertEquals(3, seen.partitions().size(), seen.toString());
            seen.partitions().values().forEach(p -> assertNotNull(p.state(), "partition without state published: " + seen));
        }
    }

    @Test
    void aTopicWhoseStatesAreWrittenLaterIsPublishedWithoutThemThenWithThem() throws Exception {
        CuratorFramework zk = newClient();
        TopicMetadataCache cache = startedCache();
        // A topic znode written without states (as a partial, older writer might): it is published
        // with null states once ZooKeeper confirms they are absent, then again when they appear.
        TopicAssignment bare = new TopicAssignment("AAAAAAAAAAAAAAAAAAAAAg", Map.of(0, List.of(1)));
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.topic("bare"), ZkJson.toBytes(bare));
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.topic("bare").isPresent());
        PartitionMetadata p0 = cache.topic("bare").orElseThrow().partitions().get(0);
        assertNull(p0.state());
        assertEquals(-1, p0.stateZkVersion());
        assertEquals(-1, p0.leader());

        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.partitionState("bare", 0), ZkJson.toBytes(new PartitionState(1, 1, List.of(1))));
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.topic("bare").orElseThrow().partitions().get(0).state() != null);
        assertEquals(1, cache.topic("bare").orElseThrow().partitions().get(0).leader());
        assertEquals(Optional.of("bare"), cache.topicById("AAAAAAAAAAAAAAAAAAAAAg").map(TopicMetadata::name));
    }
}
