package io.tributary.coordinator.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.coordinator.Versioned;
import io.tributary.coordinator.ZkTestBase;
import io.tributary.zk.RandomIds;
import io.tributary.zk.model.PartitionState;
import io.tributary.zk.model.TopicAssignment;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicStoreTest extends ZkTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, List<Integer>> TWO_PARTITIONS = Map.of(0, List.of(1, 2), 1, List.of(2, 3));

    private TopicStore store;
    private CuratorFramework root;

    @BeforeEach
    void setUp() {
        store = new TopicStore(newClient());
        root = rootClient();
    }

    private JsonNode znode(String path) throws Exception {
        return JSON.readTree(root.getData().forPath("/tributary" + path));
    }

    @Test
    void createTopicWritesExactlyTheDesignZnodes() throws Exception {
        TopicAssignment created = store.createTopic("orders", TWO_PARTITIONS, Map.of("retention.ms", "60000"));
        RandomIds.fromText(created.topicId());
        assertEquals(TWO_PARTITIONS, created.partitions());

        assertEquals(JSON.readTree("{\"version\":1,\"topic_id\":\"" + created.topicId() + "\",\"partitions\":{\"0\":[1,2],\"1\":[2,3]}}"),
                znode("/brokers/topics/orders"));
        assertEquals(List.of("partitions"), root.getChildren().forPath("/tributary/brokers/topics/orders"));
        assertEquals(List.of("0", "1"), root.getChildren().forPath("/tributary/brokers/topics/orders/partitions").stream().sorted().toList());
        assertEquals(JSON.readTree("{\"version\":1,\"leader\":-1,\"leader_epoch\":0,\"isr\":[1,2]}"),
                znode("/brokers/topics/orders/partitions/0/state"));
        assertEquals(JSON.readTree("{\"version\":1,\"leader\":-1,\"leader_epoch\":0,\"isr\":[2,3]}"),
                znode("/brokers/topics/orders/partitions/1/state"));
        assertEquals(JSON.readTree("{\"version\":1,\"config\":{\"retention.ms\":\"60000\"}}"), znode("/config/topics/orders"));
        assertEquals(Optional.of(created), store.readTopic("orders"));
        assertEquals(List.of("orders"), store.listTopics());
    }

    @Test
    void existingAndCollidingNamesAreRefused() {
        store.createTopic("a.b", Map.of(0, List.of(1)), Map.of());
        var same = assertThrows(TopicExistsException.class, () -> store.createTopic("a.b", Map.of(0, List.of(1)), Map.of()));
        assertEquals("topic 'a.b' already exists", same.getMessage());
        assertEquals(36, same.errorCode());
        var collides = assertThrows(TopicExistsException.class, () -> store.createTopic("a_b", Map.of(0, List.of(1)), Map.of()));
        assertTrue(collides.getMessage().contains("'a_b'") && collides.getMessage().contains("'a.b'"), collides.getMessage());
        store.createTopic("a-b", Map.of(0, List.of(1)), Map.of()); // '-' does not collide
        assertEquals(List.of("a-b", "a.b"), store.listTopics());
    }

    @Test
    void aTopicMarkedForDeletionCannotBeCreatedAgain() throws Exception {
        store.createTopic("gone", Map.of(0, List.of(1)), Map.of());
        store.markForDeletion("gone");
        store.markForDeletion("gone"); // idempotent
        assertTrue(store.isMarkedForDeletion("gone"));
        assertTrue(root.checkExists().forPath("/tributary/admin/delete_topics/gone") != null);
        var e = assertThrows(TopicExistsException.class, () -> store.createTopic("gone", Map.of(0, List.of(1)), Map.of()));
        assertTrue(e.getMessage().contains("being deleted"), e.getMessage());
    }

    @Test
    void deletingAnUnknownTopicIsRefused() {
        var e = assertThrows(UnknownTopicException.class, () -> store.markForDeletion("nope"));
        assertEquals("cannot delete topic 'nope': it does not exist", e.getMessage());
        assertEquals(3, e.errorCode());
    }

    @Test
    void badNamesAndAssignmentsAreRefusedBeforeWriting() throws Exception {
        assertThrows(InvalidTopicException.class, () -> store.createTopic("bad name", TWO_PARTITIONS, Map.of()));
        assertThrows(InvalidTopicException.class, () -> store.createTopic("..", TWO_PARTITIONS, Map.of()));
        assertThrows(InvalidTopicException.class, () -> store.createTopic("x".repeat(250), TWO_PARTITIONS, Map.of()));
        var gap = assertThrows(InvalidReplicaAssignmentException.class, () -> store.createTopic("t", Map.of(0, List.of(1), 2, List.of(1)), Map.of()));
        assertTrue(gap.getMessage().contains("[0, 2]"), gap.getMessage());
        assertThrows(InvalidReplicaAssignmentException.class, () -> store.createTopic("t", Map.of(0, List.of(1, 1)), Map.of()));
        assertThrows(InvalidReplicaAssignmentException.class, () -> store.createTopic("t", Map.of(0, List.of(1, 2), 1, List.of(1)), Map.of()));
        assertNull(root.checkExists().forPath("/tributary/brokers/topics/t"));
    }

    @Test
    void partitionStateCasSucceedsOnlyAtTheExpectedVersion() {
        store.createTopic("t", Map.of(0, List.of(1, 2)), Map.of());
        Versioned<PartitionState> initial = store.readPartitionState("t", 0).orElseThrow();
        assertEquals(new Versioned<>(new PartitionState(-1, 0, List.of(1, 2)), 0), initial);

        PartitionState led = initial.value().withLeader(1);
        assertTrue(store.casPartitionState("t", 0, led, 0));
        assertFalse(store.casPartitionState("t", 0, initial.value().withLeader(2), 0), "stale version loses");
        assertEquals(new Versioned<>(new PartitionState(1, 1, List.of(1, 2)), 1), store.readPartitionState("t", 0).orElseThrow());

        assertFalse(store.casPartitionState("t", 7, led, 0), "no such partition");
        assertEquals(Optional.empty(), store.readPartitionState("t", 7));
        assertEquals(Optional.empty(), store.readPartitionState("missing", 0));
    }
}
