package io.tributary.coordinator.controller;

import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes a topic's znodes. Every step tolerates a previous, interrupted attempt (a controller that
 * died half-way), so a new controller simply runs it again. Blocks.
 */
final class TopicDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(TopicDeleter.class);
    private static final int ATTEMPTS = 5;

    private final CuratorFramework zk;

    TopicDeleter(CuratorFramework zk) {
        this.zk = zk;
    }

    /**
     * Deletes {@code /brokers/topics/<t>} with its partitions and states in one transaction (so a
     * metadata cache never sees a topic without its states), then the config, the election latches
     * and last the marker, so an interrupted deletion is resumed from the marker.
     */
    void delete(String topic) {
        deleteSubtreeAtomically(topic, ZkPaths.topic(topic));
        deleteIfExists(ZkPaths.topicConfig(topic));
        deleteElections(topic);
        deleteIfExists(ZkPaths.deleteTopic(topic));
        LOG.info("topic {} deleted", topic);
    }

    private void deleteSubtreeAtomically(String topic, String root) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                List<String> bottomUp = new ArrayList<>();
                collectBottomUp(root, bottomUp);
                if (bottomUp.isEmpty()) {
                    return;
                }
                List<CuratorOp> ops = new ArrayList<>(bottomUp.size());
                for (String path : bottomUp) {
                    ops.add(zk.transactionOp().delete().forPath(path));
                }
                zk.transaction().forOperations(ops);
                return;
            } catch (KeeperException.NotEmptyException | KeeperException.NoNodeException changed) {
                LOG.info("topic {}: {} changed while deleting it (attempt {}); listing again", topic, root, attempt);
            } catch (Exception e) {
                throw new ZkOperationException("cannot delete " + root + " of topic '" + topic + "'", e);
            }
        }
        throw new ZkOperationException("topic '" + topic + "': " + root + " kept changing during " + ATTEMPTS + " deletion attempts", null);
    }

    /**
     * Latch participants are ephemeral nodes of the replicas' sessions; a replica that has not yet
     * closed its elector may add one while we delete. The latch parents are containers, which
     * ZooKeeper removes by itself once empty, so a leftover here is logged, not fatal.
     */
    private void deleteElections(String topic) {
        String root = ZkPaths.electionsOfTopic(topic);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                zk.delete().deletingChildrenIfNeeded().forPath(root);
                return;
            } catch (KeeperException.NoNodeException gone) {
                return;
            } catch (KeeperException.NotEmptyException busy) {
                LOG.debug("topic {}: {} gained a latch participant while deleting (attempt {})", topic, root, attempt);
            } catch (Exception e) {
                throw new ZkOperationException("cannot delete " + root + " of topic '" + topic + "'", e);
            }
        }
        LOG.warn("topic {}: {} is still in use by replicas; ZooKeeper removes it once they leave", topic, root);
    }

    private void collectBottomUp(String path, List<String> out) throws Exception {
        List<String> children;
        try {
            children = zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return;
        }
        for (String child : children) {
            collectBottomUp(ZKPaths.makePath(path, child), out);
        }
        out.add(path);
    }

    private void deleteIfExists(String path) {
        try {
            zk.delete().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // Already deleted by an earlier, interrupted attempt.
        } catch (Exception e) {
            throw new ZkOperationException("cannot delete " + path, e);
        }
    }
}
