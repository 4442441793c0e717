package io.tributary.coordinator;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Creates the fixed parents of the layout (/brokers/ids, /brokers/topics, ...) as persistent
 * znodes. Not containers: ZooKeeper deletes an empty container, and a cache or transaction that
 * expects the parent would then fail.
 */
public final class PersistentPaths {

    private PersistentPaths() {
    }

    /** Blocks. Idempotent and race-safe. */
    public static void ensure(CuratorFramework zk, String path) {
        try {
            if (zk.checkExists().forPath(path) == null) {
                zk.create().creatingParentsIfNeeded().forPath(path);
            }
        } catch (KeeperException.NodeExistsException raced) {
            // Another broker created it first: that is all we wanted.
        } catch (Exception e) {
            throw new ZkOperationException("cannot create " + path, e);
        }
    }
}
