package io.tributary.coordinator.cluster;

import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.RandomIds;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.ClusterId;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster id at {@code /cluster/id}: created once by whichever broker starts first, then only read. */
public final class ClusterIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterIdentity.class);

    private ClusterIdentity() {
    }

    /**
     * Returns the cluster id, creating it if this is the first broker of the cluster. Blocks.
     * Race-safe: when two brokers create it at once, the loser reads the winner's id.
     */
    public static String getOrCreate(CuratorFramework zk) {
        String path = ZkPaths.clusterId();
        try {
            if (zk.checkExists().forPath(path) == null) {
                String candidate = RandomIds.next();
                try {
                    zk.create().creatingParentsIfNeeded().forPath(path, ZkJson.toBytes(new ClusterId(candidate)));
                    LOG.info("created cluster id {} at {}", candidate, path);
                    return candidate;
                } catch (KeeperException.NodeExistsException raced) {
                    // Another broker won the race; fall through and read its id.
                }
            }
            return ZkJson.fromBytes(zk.getData().forPath(path), ClusterId.class).id();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("cannot read or create the cluster id at " + path, e);
        }
    }
}
