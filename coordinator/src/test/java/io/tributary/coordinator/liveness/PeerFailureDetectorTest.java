package io.tributary.coordinator.liveness;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.leadership.PartitionLeaderElector;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.BrokerRegistration;
import io.tributary.zk.model.PartitionState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker whose listener starts refusing connections is fenced in ZooKeeper while its session is still
 * alive: its registration and latch nodes go, and the next ISR member takes the partition over.
 */
class PeerFailureDetectorTest extends ZkTestBase {

    private static final String TOPIC = "orders";
    private static final Executor DIRECT = Runnable::run;

    private static final PartitionLeaderElector.Listener IGNORE = new PartitionLeaderElector.Listener() {
        @Override
        public void becameLeader(int leaderEpoch, PartitionState state, int zkVersion) {
        }

        @Override
        public void lostLeadership(String reason) {
        }
    };

    private BrokerRegistry registered(CuratorFramework zk, int id, int port) {
        BrokerRegistry registry = closeAfterTest(new BrokerRegistry(zk));
        registry.start();
        registry.register(new BrokerRegistration(id, "127.0.0.1", port, null, List.of("PLAINTEXT://127.0.0.1:" + port),
                System.currentTimeMillis()));
        return registry;
    }

    @Test
    void aBrokerWhosePortRefusesIsFencedAndItsPartitionMovesToTheNextIsrMember() throws Exception {
        TopicStore store = new TopicStore(newClient());
        store.createTopic(TOPIC, Map.of(0, List.of(2, 1)), Map.of());
        CuratorFramework session1 = newClient();
        BrokerRegistry registry1 = registered(session1, 1, 1);
        // Broker 2's "process": a real listening socket, registered by hand on its own ZooKeeper session (a dead
        // process does not register again once fenced).
        ServerSocket listener2 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CuratorFramework session2 = newClient();
        BrokerRegistration broker2 = new BrokerRegistration(2, "127.0.0.1", listener2.getLocalPort(), null,
                List.of("PLAINTEXT://127.0.0.1:" + listener2.getLocalPort()), 7L);
        session2.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkPaths.broker(2), ZkJson.toBytes(broker2));
        BrokerRegistry registry2 = closeAfterTest(new BrokerRegistry(session2));
        registry2.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry2.liveBrokers().containsKey(1));
        PartitionLeaderElector elector2 = closeAfterTest(new PartitionLeaderElector(session2, 2, TOPIC, 0, registry2, IGNORE, DIRECT));
        elector2.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> elector2.state() == PartitionLeaderElector.State.LEADER);
        PartitionLeaderElector elector1 = closeAfterTest(new PartitionLeaderElector(session1, 1, TOPIC, 0, registry1, IGNORE, DIRECT));
        elector1.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> elector1.state() == PartitionLeaderElector.State.CANDIDATE);
        TopicMetadataCache topics = closeAfterTest(new TopicMetadataCache(session1));
        topics.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.topic(TOPIC).isPresent());
        PeerFailureDetector detector = closeAfterTest(new PeerFailureDetector(1, registry1, new BrokerFencer(session1, topics, 1)));
        detector.start();

        // Broker 2's process dies: its port refuses, but its ZooKeeper session (and latch node) lives on.
        listener2.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !registry1.liveBrokers().containsKey(2));
        assertTrue(session2.getZookeeperClient().isConnected(), "fenced while its session is alive");
        await().atMost(Duration.ofSeconds(10)).until(() -> elector1.state() == PartitionLeaderElector.State.LEADER);
        PartitionState state = store.readPartitionState(TOPIC, 0).orElseThrow().value();
        assertEquals(1, state.leader());
        assertEquals(List.of(1), state.isr(), "the fenced broker leaves the ISR with the claim");
    }

    @Test
    void fencingRemovesTheRegistrationAndLatchNodesButNotANewerRegistration() throws Exception {
        TopicStore store = new TopicStore(newClient());
        store.createTopic(TOPIC, Map.of(0, List.of(3, 1)), Map.of());
        CuratorFramework session3 = newClient();
        // Registered by hand, so nothing registers it again once fenced.
        BrokerRegistration current = new BrokerRegistration(3, "127.0.0.1", 1, null, List.of("PLAINTEXT://127.0.0.1:1"), 42L);
        session3.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkPaths.broker(3), ZkJson.toBytes(current));
        BrokerRegistry registry3 = closeAfterTest(new BrokerRegistry(session3));
        registry3.start();
        PartitionLeaderElector elector3 = closeAfterTest(new PartitionLeaderElector(session3, 3, TOPIC, 0, registry3, IGNORE, DIRECT));
        elector3.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> elector3.state() == PartitionLeaderElector.State.LEADER);
        CuratorFramework observer = newClient();
        TopicMetadataCache topics = closeAfterTest(new TopicMetadataCache(observer));
        topics.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.topic(TOPIC).isPresent());
        BrokerFencer fencer = new BrokerFencer(observer, topics, 1);

        BrokerRegistration stale = new BrokerRegistration(3, "127.0.0.1", 1, null, List.of("PLAINTEXT://127.0.0.1:1"), 1L);
        assertFalse(fencer.fence(stale), "a registration that differs (a newer process) is left alone");
        assertEquals(1, observer.getChildren().forPath(ZkPaths.election(TOPIC, 0)).size());

        assertTrue(fencer.fence(current));
        assertNull(observer.checkExists().forPath(ZkPaths.broker(3)), "its registration is gone");
        assertEquals(0, observer.getChildren().forPath(ZkPaths.election(TOPIC, 0)).size(), "its latch node is gone");
        assertFalse(fencer.fence(current), "a second fencer finds nothing left to do");
    }
}
