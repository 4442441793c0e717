package io.tributary.coordinator.membership;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.liveness.BrokerFencer;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.ZkJson;
import io.tributary.zk.model.BrokerRegistration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerRegistryTest extends ZkTestBase {

    @Test
    void registersTheEphemeralZnodeWithTheRegistrationJson() throws Exception {
        CuratorFramework zk = newClient();
        BrokerRegistry registry = closeAfterTest(new BrokerRegistry(zk));
        registry.register(broker(1, "r1"));
        byte[] raw = rootClient().getData().forPath("/tributary/brokers/ids/1");
        assertEquals(broker(1, "r1"), ZkJson.fromBytes(raw, BrokerRegistration.class));
        assertTrue(rootClient().checkExists().forPath("/tributary/brokers/ids/1").getEphemeralOwner() != 0, "ephemeral");
    }

    @Test
    void duplicateBrokerIdIsRefusedNamingTheHolder() {
        BrokerRegistry first = closeAfterTest(new BrokerRegistry(newClient()));
        first.register(broker(1, null));
        BrokerRegistry second = closeAfterTest(new BrokerRegistry(newClient()));
        BrokerRegistration impostor = new BrokerRegistration(1, "other-host", 7000, null, List.of(), 5L);
        DuplicateBrokerIdException e = assertThrows(DuplicateBrokerIdException.class, () -> second.register(impostor));
        assertEquals("broker id 1 is already registered by host-1:9091 (started at 2023-11-14T22:13:20.001Z)", e.getMessage());
    }

    @Test
    void liveBrokersFollowJoinsAndLeaves() throws Exception {
        BrokerRegistry observer = closeAfterTest(new BrokerRegistry(newClient()));
        List<String> events = new CopyOnWriteArrayList<>();
        observer.addListener(new BrokerRegistry.Listener() {
            @Override
            public void brokerJoined(BrokerRegistration broker) {
                events.add("joined " + broker.brokerId());
            }

            @Override
            public void brokerLeft(int brokerId) {
                events.add("left " + brokerId);
            }
        });
        observer.register(broker(1, null));
        observer.start();
        assertEquals(Map.of(1, broker(1, null)), observer.liveBrokers());

        CuratorFramework secondClient = newClient();
        BrokerRegistry second = new BrokerRegistry(secondClient);
        second.register(broker(2, "r2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.liveBrokers().size() == 2);
        assertEquals(broker(2, "r2"), observer.liveBrokers().get(2));

        secondClient.close(); // the session ends: its ephemeral registration goes at once
        await().atMost(Duration.ofSeconds(10)).until(() -> !observer.liveBrokers().containsKey(2));
        assertEquals(Map.of(1, broker(1, null)), observer.liveBrokers());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.equals(List.of("joined 1", "joined 2", "left 2")));
    }

    @Test
    void closingDeregistersAtOnce() throws Exception {
        BrokerRegistry observer = closeAfterTest(new BrokerRegistry(newClient()));
        observer.start();
        BrokerRegistry leaving = new BrokerRegistry(newClient());
        leaving.register(broker(3, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.liveBrokers().containsKey(3));
        leaving.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.liveBrokers().isEmpty());
    }

    @Test
    void aRestartedBrokerWaitsForItsOwnStaleRegistrationButNotForAnother() throws Exception {
        CuratorFramework oldProcess = newClient();
        new BrokerRegistry(oldProcess).register(broker(5, null));
        // Simulate kill -9: the old session lingers on the server until it times out.
        KillSession.kill(oldProcess.getZookeeperClient().getZooKeeper());
        oldProcess.close();

        BrokerRegistration restarted = new BrokerRegistration(5, "host-5", 9095, null, List.of(), 1_800_000_000_000L);
        BrokerRegistry registry = closeAfterTest(new BrokerRegistry(newClient()));
        registry.register(restarted, Duration.ofSeconds(20), stale -> false);
        assertEquals(restarted, ZkJson.fromBytes(rootClient().getData().forPath("/tributary/brokers/ids/5"), BrokerRegistration.class));

        BrokerRegistration otherAddress = new BrokerRegistration(5, "elsewhere", 9095, null, List.of(), 1L);
        BrokerRegistry other = closeAfterTest(new BrokerRegistry(newClient()));
        DuplicateBrokerIdException e = assertThrows(DuplicateBrokerIdException.class,
                () -> other.register(otherAddress, Duration.ofSeconds(20), stale -> true));
        assertTrue(e.getMessage().startsWith("broker id 5 is already registered by host-5:9095"), e.getMessage());
    }

    @Test
    void aRestartedBrokerFencesItsPreviousProcessInsteadOfWaitingForItsSession() throws Exception {
        CuratorFramework oldProcess = newClient(); // its session stays alive, as after kill -9
        BrokerRegistration previous = broker(6, null);
        new BrokerRegistry(oldProcess).register(previous);
        TopicMetadataCache topics = closeAfterTest(new TopicMetadataCache(newClient()));
        topics.start();
        CuratorFramework newProcess = newClient();
        BrokerFencer fencer = new BrokerFencer(newProcess, topics, 6);

        BrokerRegistration restarted = new BrokerRegistration(6, "host-6", 9096, null, List.of(), 1_800_000_000_000L);
        BrokerRegistry registry = closeAfterTest(new BrokerRegistry(newProcess));
        registry.register(restarted, Duration.ofMinutes(10), fencer::fence);
        assertEquals(restarted, ZkJson.fromBytes(rootClient().getData().forPath("/tributary/brokers/ids/6"), BrokerRegistration.class));
        assertTrue(oldProcess.getZookeeperClient().isConnected(), "registered while the old session is still alive");
    }

    @Test
    void reRegistersAfterTheSessionExpires() throws Exception {
        CuratorFramework zk = newClient();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        zk.getConnectionStateListenable().addListener((client, state) -> states.add(state));
        BrokerRegistry registry = closeAfterTest(new BrokerRegistry(zk));
        registry.register(broker(4, null));
        long firstSession = rootClient().checkExists().forPath("/tributary/brokers/ids/4").getEphemeralOwner();

        KillSession.kill(zk.getZookeeperClient().getZooKeeper());

        await().atMost(Duration.ofSeconds(20)).until(() -> states.contains(ConnectionState.LOST)
                && states.get(states.size() - 1) == ConnectionState.RECONNECTED);
        CuratorFramework root = rootClient();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var stat = root.checkExists().forPath("/tributary/brokers/ids/4");
            return stat != null && stat.getEphemeralOwner() != firstSession;
        });
        assertEquals(broker(4, null), ZkJson.fromBytes(root.getData().forPath("/tributary/brokers/ids/4"), BrokerRegistration.class));
    }
}
