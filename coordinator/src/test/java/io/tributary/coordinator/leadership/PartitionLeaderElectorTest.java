package io.tributary.coordinator.leadership;

import io.tributary.coordinator.Versioned;
import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.model.BrokerRegistration;
import io.tributary.zk.model.PartitionState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLeaderElectorTest extends ZkTestBase {

    private static final String TOPIC = "events";

    private TopicStore store;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

    /** What one broker's replica saw, in order. */
    private static final class Recorder implements PartitionLeaderElector.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void becameLeader(int leaderEpoch, PartitionState state, int zkVersion) {
            events.add("leader epoch " + leaderEpoch + " isr " + state.isr() + " v" + zkVersion);
        }

        @Override
        public void lostLeadership(String reason) {
            events.add("lost: " + reason);
        }
    }

    @BeforeEach
    void createTopic() {
        store = new TopicStore(newClient());
        store.createTopic(TOPIC, Map.of(0, List.of(1, 2, 3)), Map.of());
        closeAfterTest(callbacks::shutdownNow);
    }

    private final Map<CuratorFramework, BrokerRegistry> registries = new HashMap<>();

    /** Registers the broker on that session, as a real broker is before it joins elections. */
    private BrokerRegistry register(CuratorFramework zk, int brokerId) {
        return registries.computeIfAbsent(zk, client -> {
            BrokerRegistry registry = closeAfterTest(new BrokerRegistry(client));
            registry.start();
            registry.register(new BrokerRegistration(brokerId, "localhost", 9000 + brokerId, null,
                    List.of("PLAINTEXT://localhost:" + (9000 + brokerId)), System.currentTimeMillis()));
            return registry;
        });
    }

    /** An elector on its own session, with the broker registered on that session. */
    private PartitionLeaderElector elector(CuratorFramework zk, int brokerId, Recorder recorder) {
        BrokerRegistry registry = register(zk, brokerId);
        PartitionLeaderElector elector = closeAfterTest(new PartitionLeaderElector(zk, brokerId, TOPIC, 0, registry, recorder, callbacks));
        elector.start();
        return elector;
    }

    private PartitionState state() {
        return store.readPartitionState(TOPIC, 0).orElseThrow().value();
    }

    @Test
    void exactlyOneIsrMemberLeadsAndTheNextTakesOverWithTheNextEpoch() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        CuratorFramework client1 = newClient();
        CuratorFramework client2 = newClient();
        CuratorFramework client3 = newClient();
        // All three live before anyone claims, so the claim keeps the whole ISR.
        register(client1, 1);
        register(client2, 2);
        register(client3, 3);
        PartitionLeaderElector e1 = elector(client1, 1, r1);
        PartitionLeaderElector e2 = elector(client2, 2, r2);
        PartitionLeaderElector e3 = elector(client3, 3, r3);

        await().atMost(Duration.ofSeconds(10)).until(() -> state().leader() != -1);
        PartitionState first = state();
        assertEquals(1, first.leaderEpoch());
        assertEquals(List.of(1, 2), first.isr());
        PartitionLeaderElector leader = first.leader() == 1 ? e1 : e2;
        PartitionLeaderElector follower = first.leader() == 1 ? e2 : e1;
        Recorder leaderEvents = first.leader() == 1 ? r1 : r2;
        Recorder followerEvents = first.leader() == 1 ? r2 : r1;
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.state() == PartitionLeaderElector.State.LEADER);
        assertEquals(1, leader.leaderEpoch());
        assertEquals(PartitionLeaderElector.State.CANDIDATE, follower.state());
        assertEquals(PartitionLeaderElector.State.WAITING_FOR_ISR, e3.state(), "broker 3 is not in the ISR");
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderEvents.events.equals(List.of("leader epoch 1 isr [1, 2] v2")));

        // Closing resigns (leader -1 by CAS, version 3), so the guardian claims at once (version 4).
        leader.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> state().leader() == otherOf(first.leader()));
        assertEquals(new PartitionState(otherOf(first.leader()), 2, List.of(1, 2)), state());
        await().atMost(Duration.ofSeconds(10)).until(() -> followerEvents.events.equals(List.of("leader epoch 2 isr [1, 2] v4")));
        await().atMost(Duration.ofSeconds(10)).until(() -> leaderEvents.events.equals(
                List.of("leader epoch 1 isr [1, 2] v2", "lost: elector closed")));
        assertEquals(List.of(), r3.events, "a broker outside the ISR never leads");
        assertEquals(PartitionLeaderElector.State.WAITING_FOR_ISR, e3.state());
    }

    private static int otherOf(int leader) {
        return leader == 1 ? 2 : 1;
    }

    @Test
    void aBrokerOutsideTheIsrNeverLeadsEvenWhenAlone() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        Recorder r3 = new Recorder();
        PartitionLeaderElector e3 = elector(newClient(), 3, r3);
        await().atMost(Duration.ofSeconds(10)).until(() -> e3.state() == PartitionLeaderElector.State.WAITING_FOR_ISR);
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        // Broker 2 is not registered: a claim keeps only registered brokers (and the claimant) in the ISR.
        assertEquals(new PartitionState(1, 1, List.of(1)), state());
        assertEquals(PartitionLeaderElector.State.WAITING_FOR_ISR, e3.state());
        assertEquals(List.of(), r3.events);
    }

    @Test
    void aBrokerAddedToTheIsrJoinsAndCanTakeOver() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1)), 0);
        Recorder r1 = new Recorder();
        Recorder r3 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        PartitionLeaderElector e3 = elector(newClient(), 3, r3);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        assertEquals(PartitionLeaderElector.State.WAITING_FOR_ISR, e3.state());

        assertTrue(e1.updateIsr(List.of(1, 3)), "the leader expands the ISR by CAS");
        assertEquals(new Versioned<>(new PartitionState(1, 1, List.of(1, 3)), 3), store.readPartitionState(TOPIC, 0).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> e3.state() == PartitionLeaderElector.State.CANDIDATE);

        e1.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> e3.state() == PartitionLeaderElector.State.LEADER);
        assertEquals(new PartitionState(3, 2, List.of(1, 3)), state());
        assertThrows(IllegalArgumentException.class, () -> e3.updateIsr(List.of(1)), "the ISR keeps its leader");
    }

    @Test
    void aLeaderFencedByANewerStateLosesLeadershipAtOnce() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        Versioned<PartitionState> current = store.readPartitionState(TOPIC, 0).orElseThrow();

        // Another writer (a newer leader, say) moves leadership to broker 2 at epoch 2.
        assertTrue(store.casPartitionState(TOPIC, 0, current.value().withLeader(2), current.zkVersion()));
        // Broker 1 stops leading at once; as broker 2 is not registered, broker 1, the latch holder
        // (guardian), claims a newer epoch rather than reusing its fenced one.
        await().atMost(Duration.ofSeconds(10)).until(() -> r1.events.size() == 3);
        assertEquals(List.of("leader epoch 1 isr [1] v2", "lost: the state znode names leader 2 at epoch 2",
                "leader epoch 3 isr [1] v4"), r1.events);
        assertEquals(new PartitionState(1, 3, List.of(1)), state());
    }

    @Test
    void theLeaderFollowsRewritesOfItsOwnStateAndWritesTheIsrOnTop() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        Versioned<PartitionState> current = store.readPartitionState(TOPIC, 0).orElseThrow();
        assertEquals(current.zkVersion(), e1.leaderZkVersion());
        // A rewrite that still names broker 1 at its epoch does not fence it; the elector tracks the version.
        assertTrue(store.casPartitionState(TOPIC, 0, current.value(), current.zkVersion()));
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.leaderZkVersion() == current.zkVersion() + 1);
        assertTrue(e1.updateIsr(List.of(1)));
        assertEquals(new Versioned<>(new PartitionState(1, 1, List.of(1)), current.zkVersion() + 2),
                store.readPartitionState(TOPIC, 0).orElseThrow());
        assertEquals(List.of("leader epoch 1 isr [1] v2"), r1.events);
    }

    @Test
    void sessionExpiryReportsLostLeadershipAndTheNextIsrMemberLeads() throws Exception {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        CuratorFramework client1 = newClient();
        CuratorFramework client2 = newClient();
        register(client2, 2); // live from the start, so it stays in the ISR broker 1 claims with
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(client1, 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        Recorder r2 = new Recorder();
        PartitionLeaderElector e2 = elector(client2, 2, r2);
        await().atMost(Duration.ofSeconds(10)).until(() -> e2.state() == PartitionLeaderElector.State.CANDIDATE);

        KillSession.kill(client1.getZookeeperClient().getZooKeeper());
        await().atMost(Duration.ofSeconds(10)).until(() -> r1.events.size() >= 2);
        assertTrue(r1.events.get(1).startsWith("lost: "), r1.events.toString());
        // Someone leads again, at a higher epoch, and the state names exactly that elector.
        await().atMost(Duration.ofSeconds(20)).until(() -> state().leaderEpoch() >= 2
                && (e1.state() == PartitionLeaderElector.State.LEADER) != (e2.state() == PartitionLeaderElector.State.LEADER));
        PartitionLeaderElector leader = e1.state() == PartitionLeaderElector.State.LEADER ? e1 : e2;
        assertEquals(leader == e1 ? 1 : 2, state().leader());
        assertEquals(state().leaderEpoch(), leader.leaderEpoch());
    }

    @Test
    void aHandOverNamesTheSuccessorWhoLeadsAtTheNextEpochWithoutTheGuardianFighting() {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1, 2)), 0);
        CuratorFramework client2 = newClient();
        register(client2, 2);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        PartitionLeaderElector e2 = elector(client2, 2, r2);
        await().atMost(Duration.ofSeconds(10)).until(() -> e2.state() == PartitionLeaderElector.State.CANDIDATE);

        assertTrue(e1.handOver(2, true), "the leader names its successor by CAS");
        await().atMost(Duration.ofSeconds(10)).until(() -> e2.state() == PartitionLeaderElector.State.LEADER);
        // Broker 1 still holds the latch until it leaves the ISR; it must not take leadership back.
        assertEquals(new PartitionState(2, 2, List.of(2)), state());
        assertEquals(2, e2.leaderEpoch());
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.WAITING_FOR_ISR);
        assertEquals(List.of("leader epoch 1 isr [1, 2] v2", "lost: handed over to broker 2 at epoch 2"), r1.events);
        assertEquals(List.of("leader epoch 2 isr [2] v3"), r2.events);
        assertFalse(e1.handOver(2, true), "only a leader hands over");
    }

    @Test
    void aStateNamingThisBrokerFromAnEarlierProcessIsClaimedAfreshWithANewEpoch() {
        // What a broker restarted after kill -9 finds: itself named leader by its previous process.
        store.casPartitionState(TOPIC, 0, new PartitionState(1, 5, List.of(1, 2)), 0);
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);
        assertEquals(6, e1.leaderEpoch(), "never two processes writing under one epoch");
        assertEquals(new PartitionState(1, 6, List.of(1)), state());
    }

    @Test
    void aConnectionBlipResumesLeadershipAtTheSameEpoch() throws Exception {
        store.casPartitionState(TOPIC, 0, new PartitionState(-1, 0, List.of(1)), 0);
        Recorder r1 = new Recorder();
        PartitionLeaderElector e1 = elector(newClient(), 1, r1);
        await().atMost(Duration.ofSeconds(10)).until(() -> e1.state() == PartitionLeaderElector.State.LEADER);

        // Shorter than the session timeout: SUSPENDED, then RECONNECTED with the same session.
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> r1.events.size() >= 2);
        server.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> r1.events.size() >= 3);
        assertEquals(List.of("leader epoch 1 isr [1] v2", "lost: ZooKeeper connection SUSPENDED", "leader epoch 1 isr [1] v2"),
                r1.events);
        assertEquals(new PartitionState(1, 1, List.of(1)), state());
    }
}
