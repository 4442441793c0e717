package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.BrokerProcess;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.FreePort;
import io.tributary.zk.ZkPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with bad settings, no reachable ZooKeeper, or the id of a live broker must refuse to start:
 * exit non-zero on its own (bounded wait, no kill) with an "ERROR:" line naming the setting, the address
 * or the reason, and must leave the running cluster untouched.
 */
class StartupFailureTest {

    /** Bounds the wait for the refused broker to exit; it is not a timing assertion. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(45);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(1));

    @TempDir
    Path dir;

    @Test
    void unknownSettingIsRefusedByName() {
        Map<String, String> settings = validSettings(7);
        settings.put("log.segmnet.bytes", "1048576"); // a typo of log.segment.bytes must not be ignored

        String error = runUntilExit("unknown-setting", settings, 2);

        assertTrue(error.contains("log.segmnet.bytes"), "the error must name the unknown setting: " + error);
        assertEquals(Set.of(1), cluster.get().registeredIds(), "the refused broker must not register");
    }

    @Test
    void negativeBrokerIdIsRefused() {
        Map<String, String> settings = validSettings(7);
        settings.put("broker.id", "-5");

        String error = runUntilExit("negative-id", settings, 2);

        assertTrue(error.contains("broker.id"), "the error must name broker.id: " + error);
        assertTrue(error.contains("-5"), "the error must show the bad value -5: " + error);
    }

    @Test
    void nonsenseListenersAreRefused() {
        Map<String, String> settings = validSettings(7);
        settings.put("listeners", "nonsense");

        String error = runUntilExit("bad-listeners", settings, 2);

        assertTrue(error.contains("listeners"), "the error must name listeners: " + error);
        assertTrue(error.contains("nonsense"), "the error must show the bad value: " + error);
        assertEquals(Set.of(1), cluster.get().registeredIds());
    }

    @Test
    void aMalformedMetricsListenerIsRefused() {
        Map<String, String> settings = validSettings(7);
        settings.put("metrics.listener", "localhost:9192");

        String error = runUntilExit("bad-metrics-listener", settings, 2);

        assertTrue(error.contains("metrics.listener"), "the error must name metrics.listener: " + error);
        assertTrue(error.contains("localhost:9192"), "the error must show the bad value: " + error);
    }

    @Test
    void aMetricsListenerPortInUseStopsStartupNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + taken.getLocalPort();
            Map<String, String> settings = validSettings(7);
            settings.put("metrics.listener", url);

            try (BrokerProcess broker = launch("metrics-port-taken", settings)) {
                int status = broker.awaitExit(EXIT_WITHIN);
                String error = errorLine(broker);
                assertNotEquals(0, status, "a broker that cannot bind its metrics listener must exit non-zero; output:\n"
                        + broker.output());
                assertTrue(error.contains("metrics.listener=" + url), "the error must name the setting and its value: " + error);
            }
        }
        assertEquals(Set.of(1), cluster.get().registeredIds());
    }

    @Test
    void unreachableZooKeeperStopsStartupNamingTheAddress() {
        int closedPort = FreePort.pick(); // nothing listens there once FreePort has closed its socket
        Map<String, String> settings = validSettings(7);
        settings.put("zookeeper.connect", "127.0.0.1:" + closedPort + "/StartupFailureTest");
        settings.put("zookeeper.connection.timeout.ms", "2000");

        try (BrokerProcess broker = launch("unreachable-zk", settings)) {
            int status = broker.awaitExit(EXIT_WITHIN);

            String error = errorLine(broker);
            assertNotEquals(0, status, "a broker without ZooKeeper must exit non-zero; output:\n" + broker.output());
            assertTrue(error.contains("127.0.0.1:" + closedPort), "the error must name the ZooKeeper address: " + error);
            assertTrue(error.toLowerCase(Locale.ROOT).contains("zookeeper"), "the error must say it is ZooKeeper: " + error);
        }
    }

    @Test
    void secondBrokerWithARunningBrokersIdRefusesAndLeavesItAlone() throws Exception {
        ClusterProcesses c = cluster.get();
        byte[] registrationBefore = readRegistration(1);
        Map<String, String> settings = validSettings(1); // broker 1 runs
        int clashingPort = Integer.parseInt(settings.get("listeners").replaceAll(".*:", ""));

        String error;
        try (BrokerProcess clash = launch("duplicate-id-1", settings)) {
            int status = clash.awaitExit(EXIT_WITHIN);
            error = errorLine(clash);
            assertNotEquals(0, status, "the duplicate must exit non-zero; output:\n" + clash.output());
        }
        assertTrue(error.contains("already registered"), "the error must say the id is taken: " + error);
        assertTrue(error.matches(".*\\b1\\b.*"), "the error must name the id 1: " + error);
        // The running broker keeps its registration (same bytes: it was not replaced or re-created) and serves.
        assertEquals(new String(registrationBefore, StandardCharsets.UTF_8),
                new String(readRegistration(1), StandardCharsets.UTF_8));
        assertTrue(c.isRunning(1));
        assertTrue(canConnect(c.port(1)), "broker 1 must still accept connections on " + c.address(1));
        assertTrue(!canConnect(clashingPort), "the refused broker must not keep its listener open on " + clashingPort);
    }

    private Map<String, String> validSettings(int id) {
        ClusterProcesses c = cluster.get();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("broker.id", Integer.toString(id));
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + FreePort.pick());
        settings.put("log.dirs", dir.resolve("data-" + id).toString());
        settings.put("zookeeper.connect", c.zookeeperConnect());
        settings.put("zookeeper.session.timeout.ms", "3000");
        return settings;
    }

    private BrokerProcess launch(String name, Map<String, String> settings) {
        return BrokerProcess.launch(cluster.get().distribution(), name, settings, dir.resolve(name + ".out"));
    }

    /** Runs a broker that must refuse its settings; returns its ERROR line. */
    private String runUntilExit(String name, Map<String, String> settings, int expectedStatus) {
        try (BrokerProcess broker = launch(name, settings)) {
            int status = broker.awaitExit(EXIT_WITHIN);
            assertEquals(expectedStatus, status, "exit status of " + name + "; output:\n" + broker.output());
            return errorLine(broker);
        }
    }

    private static String errorLine(BrokerProcess broker) {
        return broker.output().lines().filter(l -> l.startsWith("ERROR: ")).findFirst()
                .orElseThrow(() -> new AssertionError(broker.name() + " printed no 'ERROR: ' line; output:\n" + broker.output()));
    }

    private byte[] readRegistration(int id) throws Exception {
        try (CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(cluster.get().zookeeperHosts())
                .namespace("StartupFailureTest").retryPolicy(new RetryOneTime(100)).build()) {
            zk.start();
            return zk.getData().forPath(ZkPaths.broker(id));
        }
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
