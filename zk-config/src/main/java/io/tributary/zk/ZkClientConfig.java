package io.tributary.zk;

/**
 * How a process reaches ZooKeeper.
 *
 * @param connectString       host:port[,host:port...] of the ensemble, without a chroot suffix
 * @param chroot              the subtree this cluster lives in, e.g. {@link ZkPaths#DEFAULT_CHROOT}; "/" for none
 * @param sessionTimeoutMs    ZooKeeper session timeout (Kafka's zookeeper.session.timeout.ms)
 * @param connectionTimeoutMs how long to wait for the first connection (Kafka's zookeeper.connection.timeout.ms)
 */
public record ZkClientConfig(String connectString, String chroot, int sessionTimeoutMs, int connectionTimeoutMs) {

    public ZkClientConfig {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("zookeeper connect string must not be blank, got: '" + connectString + "'");
        }
        if (connectString.contains("/")) {
            // A chroot appended to the connect string would be applied twice (ZooKeeper's and Curator's namespace).
            throw new IllegalArgumentException("zookeeper connect string must not contain a chroot; pass it as chroot instead, got: '"
                    + connectString + "'");
        }
        if (chroot == null || !chroot.startsWith("/")) {
            throw new IllegalArgumentException("zookeeper chroot must start with '/', got: '" + chroot + "'");
        }
        if (chroot.length() > 1 && (chroot.endsWith("/") || chroot.contains("//"))) {
            throw new IllegalArgumentException("zookeeper chroot must not end with '/' or contain '//', got: '" + chroot + "'");
        }
        if (sessionTimeoutMs <= 0) {
            throw new IllegalArgumentException("zookeeper session timeout must be > 0 ms, got: " + sessionTimeoutMs);
        }
        if (connectionTimeoutMs <= 0) {
            throw new IllegalArgumentException("zookeeper connection timeout must be > 0 ms, got: " + connectionTimeoutMs);
        }
    }

    /** A config with the default chroot, an 18 s session timeout and a 10 s connection timeout. */
    public static ZkClientConfig of(String connectString) {
        return new ZkClientConfig(connectString, ZkPaths.DEFAULT_CHROOT, 18_000, 10_000);
    }

    /** Curator's namespace: the chroot without its leading '/', or null for the root. */
    public String namespace() {
        return chroot.length() == 1 ? null : chroot.substring(1);
    }
}
