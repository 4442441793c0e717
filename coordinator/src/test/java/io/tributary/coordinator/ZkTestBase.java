package io.tributary.coordinator;

import io.tributary.zk.CuratorClientFactory;
import io.tributary.zk.ZkClientConfig;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.BrokerRegistration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A real ZooKeeper (curator-test TestingServer) per test and started, chrooted clients on it. */
public abstract class ZkTestBase {

    protected static final int TICK_MS = 200;
    protected static final int SESSION_TIMEOUT_MS = 2_000;

    protected TestingServer server;
    private final Deque<Closeable> resources = new ArrayDeque<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        // A short tick lets tests use a short session timeout (ZooKeeper's minimum is two ticks).
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1), true);
    }

    @AfterEach
    void stopZooKeeper() throws IOException {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (RuntimeException | IOException e) {
                // best effort: the next resource must still be closed
            }
        }
        server.close();
    }

    /** A started client chrooted at the default chroot, as brokers use. Closed after the test. */
    protected CuratorFramework newClient() {
        ZkClientConfig config = new ZkClientConfig(server.getConnectString(), ZkPaths.DEFAULT_CHROOT, SESSION_TIMEOUT_MS, 5_000);
        return closeAfterTest(CuratorClientFactory.startAndAwait(CuratorClientFactory.newClient(config), config));
    }

    /** A started client at the ZooKeeper root, to check the raw znodes. */
    protected CuratorFramework rootClient() {
        ZkClientConfig config = new ZkClientConfig(server.getConnectString(), "/", 10_000, 5_000);
        return closeAfterTest(CuratorClientFactory.startAndAwait(CuratorClientFactory.newClient(config), config));
    }

    protected <T extends Closeable> T closeAfterTest(T resource) {
        resources.push(resource);
        return resource;
    }

    protected static BrokerRegistration broker(int id, String rack) {
        return new BrokerRegistration(id, "host-" + id, 9090 + id, rack, List.of("PLAINTEXT://host-" + id + ":" + (9090 + id)),
                1_700_000_000_000L + id);
    }
}
