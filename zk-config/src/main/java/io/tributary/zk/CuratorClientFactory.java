package io.tributary.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Builds the one Curator client a process uses, namespaced to the cluster's chroot. */
public final class CuratorClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CuratorClientFactory.class);

    private static final int RETRY_BASE_SLEEP_MS = 100;
    private static final int RETRY_MAX_SLEEP_MS = 2_000;
    private static final int RETRY_MAX_RETRIES = 10;

    private CuratorClientFactory() {
    }

    /** An unstarted client; the caller owns it and must close it. */
    public static CuratorFramework newClient(ZkClientConfig config) {
        return CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .namespace(config.namespace())
                .sessionTimeoutMs(config.sessionTimeoutMs())
                .connectionTimeoutMs(config.connectionTimeoutMs())
                .retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_SLEEP_MS, RETRY_MAX_RETRIES, RETRY_MAX_SLEEP_MS))
                .build();
    }

    /**
     * Starts the client and blocks until it is connected. If it cannot connect within
     * {@code connectionTimeoutMs}, closes it and throws {@link ZkUnreachableException} naming the
     * connect string, so the process can exit at once with a useful message.
     */
    public static CuratorFramework startAndAwait(CuratorFramework client, ZkClientConfig config) {
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected(config.connectionTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new ZkUnreachableException("interrupted while connecting to ZooKeeper at " + config.connectString());
        }
        if (!connected) {
            client.close();
            throw new ZkUnreachableException("cannot connect to ZooKeeper at " + config.connectString()
                    + " within " + config.connectionTimeoutMs() + " ms (zookeeper.connect); is ZooKeeper running there?");
        }
        LOG.info("connected to ZooKeeper at {} with chroot {}", config.connectString(), config.chroot());
        return client;
    }
}
