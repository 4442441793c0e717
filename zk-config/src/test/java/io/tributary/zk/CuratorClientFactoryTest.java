package io.tributary.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CuratorClientFactoryTest {

    @Test
    void connectsAndWritesUnderTheChroot() throws Exception {
        try (TestingServer server = new TestingServer()) {
            var config = new ZkClientConfig(server.getConnectString(), "/tributary-test", 10_000, 5_000);
            try (CuratorFramework client = CuratorClientFactory.startAndAwait(CuratorClientFactory.newClient(config), config);
                 CuratorFramework root = CuratorClientFactory.startAndAwait(CuratorClientFactory.newClient(
                         new ZkClientConfig(server.getConnectString(), "/", 10_000, 5_000)), config)) {
                client.create().creatingParentsIfNeeded().forPath("/cluster/id", "x".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), root.getData().forPath("/tributary-test/cluster/id"));
                assertNull(root.checkExists().forPath("/cluster"), "nothing outside the chroot");
            }
        }
    }

    @Test
    void failsFastNamingTheUnreachableAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String connect = "127.0.0.1:" + port;
        var config = new ZkClientConfig(connect, ZkPaths.DEFAULT_CHROOT, 2_000, 500);
        CuratorFramework client = CuratorClientFactory.newClient(config);
        ZkUnreachableException e = assertThrows(ZkUnreachableException.class, () -> CuratorClientFactory.startAndAwait(client, config));
        assertTrue(e.getMessage().contains(connect), e.getMessage());
        assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
        assertEquals(CuratorFrameworkState.STOPPED, client.getState(), "the client is closed, not left retrying");
    }

    @Test
    void configIsValidatedWithTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ZkClientConfig("h:1", "tributary", 1, 1));
        assertTrue(e.getMessage().contains("'tributary'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZkClientConfig("h:1", "/t", 0, 1));
        assertTrue(e.getMessage().contains("session timeout") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZkClientConfig("h:1", "/t", 1, -5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZkClientConfig(" ", "/t", 1, 1));
        assertTrue(e.getMessage().contains("connect string"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ZkClientConfig("h:1/chroot", "/t", 1, 1));
        assertEquals("tributary", ZkClientConfig.of("h:1").namespace());
        assertNull(new ZkClientConfig("h:1", "/", 1, 1).namespace());
        assertEquals("a/b", new ZkClientConfig("h:1", "/a/b", 1, 1).namespace());
    }
}
