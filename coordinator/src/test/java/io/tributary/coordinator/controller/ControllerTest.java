package io.tributary.coordinator.controller;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.model.TopicAssignment;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ControllerTest extends ZkTestBase {

    private boolean gone(CuratorFramework root, String path) throws Exception {
        return root.checkExists().forPath("/tributary" + path) == null;
    }

    @Test
    void deletionRemovesEveryZnodeOfTheTopicAndKeepsOthers() throws Exception {
        CuratorFramework zk = newClient();
        CuratorFramework root = rootClient();
        TopicStore store = new TopicStore(zk);
        store.createTopic("doomed", Map.of(0, List.of(1), 1, List.of(1)), Map.of("retention.ms", "1"));
        TopicAssignment kept = store.createTopic("kept", Map.of(0, List.of(1)), Map.of());
        // A replica's election latch for the doomed topic, as a broker would have.
        LeaderLatch replicaLatch = closeAfterTest(new LeaderLatch(newClient(), "/elections/doomed/0", "1"));
        replicaLatch.start();
        await().atMost(Duration.ofSeconds(10)).until(replicaLatch::hasLeadership);

        ControllerElection election = closeAfterTest(new ControllerElection(zk, 1));
        Controller controller = closeAfterTest(new Controller(zk, election));
        controller.start();
        election.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.state() == Controller.State.ACTIVE);

        store.markForDeletion("doomed");
        await().atMost(Duration.ofSeconds(10)).until(() -> gone(root, "/admin/delete_topics/doomed"));
        assertNull(root.checkExists().forPath("/tributary/brokers/topics/doomed"));
        assertNull(root.checkExists().forPath("/tributary/config/topics/doomed"));
        assertNull(root.checkExists().forPath("/tributary/elections/doomed"));
        assertEquals(List.of("kept"), store.listTopics());
        assertEquals(kept, store.readTopic("kept").orElseThrow());
        assertNotNull(root.checkExists().forPath("/tributary/config/topics/kept"));

        // The name is free again, with a new topic id.
        TopicAssignment again = store.createTopic("doomed", Map.of(0, List.of(1)), Map.of());
        assertNotEquals(kept.topicId(), again.topicId());
    }

    @Test
    void aNewControllerResumesDeletionsTheOldOneLeft() throws Exception {
        CuratorFramework first = newClient();
        CuratorFramework second = newClient();
        CuratorFramework root = rootClient();
        TopicStore store = new TopicStore(first);
        store.createTopic("t1", Map.of(0, List.of(1)), Map.of());
        store.createTopic("t2", Map.of(0, List.of(1)), Map.of());

        // Broker 1 is controller but its controller logic is not running (it "died" half-way):
        // markers pile up.
        ControllerElection firstElection = new ControllerElection(first, 1);
        firstElection.start();
        await().atMost(Duration.ofSeconds(10)).until(firstElection::isController);
        ControllerElection secondElection = closeAfterTest(new ControllerElection(second, 2));
        Controller secondController = closeAfterTest(new Controller(second, secondElection));
        secondController.start();
        secondElection.start();
        store.markForDeletion("t1");
        store.markForDeletion("t2");
        assertEquals(Controller.State.STANDBY, secondController.state());
        assertNotNull(root.checkExists().forPath("/tributary/brokers/topics/t1"));

        firstElection.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> gone(root, "/brokers/topics/t1") && gone(root, "/brokers/topics/t2")
                && gone(root, "/admin/delete_topics/t1") && gone(root, "/admin/delete_topics/t2"));
        assertEquals(List.of(), store.listTopics());
    }
}
