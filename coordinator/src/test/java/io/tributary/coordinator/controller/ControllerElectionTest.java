package io.tributary.coordinator.controller;

import io.tributary.coordinator.ZkTestBase;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerElectionTest extends ZkTestBase {

    private static ControllerElection.Listener recording(List<String> events, int id) {
        return new ControllerElection.Listener() {
            @Override
            public void becameController() {
                events.add(id + " became");
            }

            @Override
            public void resignedController() {
                events.add(id + " resigned");
            }
        };
    }

    @Test
    void failsOverBetweenBrokersOnSeparateClients() throws Exception {
        CuratorFramework clientOne = newClient();
        CuratorFramework clientTwo = newClient();
        List<String> events = new CopyOnWriteArrayList<>();
        ControllerElection one = new ControllerElection(clientOne, 1);
        one.addListener(recording(events, 1));
        one.start();
        await().atMost(Duration.ofSeconds(10)).until(one::isController);

        ControllerElection two = closeAfterTest(new ControllerElection(clientTwo, 2));
        two.addListener(recording(events, 2));
        two.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> two.controllerId() == 1);
        assertEquals(1, one.controllerId());
        assertFalse(two.isController());

        clientOne.close(); // broker 1 dies: its session ends
        await().atMost(Duration.ofSeconds(10)).until(two::isController);
        await().atMost(Duration.ofSeconds(10)).until(() -> two.controllerId() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.equals(List.of("1 became", "2 became")));
    }

    @Test
    void closingHandsOverAtOnceAndNotifiesTheResigner() {
        List<String> events = new CopyOnWriteArrayList<>();
        ControllerElection one = new ControllerElection(newClient(), 1);
        one.addListener(recording(events, 1));
        one.start();
        await().atMost(Duration.ofSeconds(10)).until(one::isController);
        ControllerElection two = closeAfterTest(new ControllerElection(newClient(), 2));
        two.addListener(recording(events, 2));
        two.start();

        one.close();
        await().atMost(Duration.ofSeconds(10)).until(two::isController);
        // Each broker's callbacks run on its own thread, so "1 resigned" and "2 became" may be recorded in
        // either order; what must hold is that both happen, after broker 1 had become controller.
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
        assertEquals("1 became", events.get(0));
        assertEquals(Set.of("1 resigned", "2 became"), Set.copyOf(events.subList(1, 3)));
        assertEquals(ControllerElection.State.CLOSED, one.state());
    }

    @Test
    void sessionExpiryMakesTheControllerResign() throws Exception {
        CuratorFramework clientOne = newClient();
        List<String> events = new CopyOnWriteArrayList<>();
        ControllerElection one = closeAfterTest(new ControllerElection(clientOne, 1));
        one.addListener(recording(events, 1));
        one.start();
        await().atMost(Duration.ofSeconds(10)).until(one::isController);
        ControllerElection two = closeAfterTest(new ControllerElection(newClient(), 2));
        two.start();

        KillSession.kill(clientOne.getZookeeperClient().getZooKeeper());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("1 resigned"));
        // After expiry exactly one broker is controller and both agree which.
        await().atMost(Duration.ofSeconds(20)).until(() -> one.isController() != two.isController()
                && one.controllerId() == two.controllerId() && one.controllerId() == (one.isController() ? 1 : 2));
        assertTrue(one.controllerId() > 0);
    }
}
