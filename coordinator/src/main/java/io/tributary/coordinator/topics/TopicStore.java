package io.tributary.coordinator.topics;

import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.Versioned;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.RandomIds;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import io.tributary.zk.model.TopicAssignment;
import io.tributary.zk.model.TopicConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes topics and partition states. Every method blocks on ZooKeeper; call it from a worker
 * thread, never a Vert.x event loop.
 */
public final class TopicStore {

    private static final Logger LOG = LoggerFactory.getLogger(TopicStore.class);

    private final CuratorFramework zk;

    public TopicStore(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk");
    }

    /**
     * Creates a topic in one ZooKeeper transaction: the topic znode with a new topic id, its config
     * znode, and per partition a state with no leader, epoch 0 and every replica in the ISR. Blocks.
     *
     * @param assignment partition -> replicas, partitions numbered 0..n-1, all with the same count
     * @throws TopicExistsException if the topic exists, collides with one ('.' vs '_') or is being deleted
     * @throws InvalidTopicException if the name is not a legal Kafka topic name
     * @throws InvalidReplicaAssignmentException if the assignment is malformed
     */
    public TopicAssignment createTopic(String name, Map<Integer, List<Integer>> assignment, Map<String, String> configs) {
        TopicNames.validate(name);
        validateAssignment(name, assignment);
        PersistentPaths.ensure(zk, ZkPaths.topics());
        PersistentPaths.ensure(zk, ZkPaths.topicConfigs());
        refuseExistingOrColliding(name);

        TopicAssignment topic = new TopicAssignment(RandomIds.next(), assignment);
        List<CuratorOp> ops = new ArrayList<>();
        try {
            ops.add(zk.transactionOp().create().forPath(ZkPaths.topic(name), ZkJson.toBytes(topic)));
            ops.add(zk.transactionOp().create().forPath(ZkPaths.partitions(name)));
            for (Map.Entry<Integer, List<Integer>> partition : topic.partitions().entrySet()) {
                int p = partition.getKey();
                ops.add(zk.transactionOp().create().forPath(ZkPaths.partition(name, p)));
                ops.add(zk.transactionOp().create().forPath(ZkPaths.partitionState(name, p),
                        ZkJson.toBytes(PartitionState.initial(partition.getValue()))));
            }
            // The config znode may outlive a deleted topic only if a deletion was interrupted; the
            // controller removes it before the marker, so it is absent here.
            ops.add(zk.transactionOp().create().forPath(ZkPaths.topicConfig(name), ZkJson.toBytes(new TopicConfig(configs))));
            zk.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            throw new TopicExistsException("topic '" + name + "' already exists (" + e.getPath() + " was created concurrently)");
        } catch (Exception e) {
            throw new ZkOperationException("cannot create topic '" + name + "'", e);
        }
        LOG.info("created topic {} with id {} and {} partitions: {}", name, topic.topicId(), topic.partitions().size(),
                topic.partitions());
        return topic;
    }

    /**
     * Marks a topic for deletion at {@code /admin/delete_topics/<t>}; the controller deletes it.
     * Idempotent. Blocks.
     *
     * @throws UnknownTopicException if there is no such topic
     */
    public void markForDeletion(String name) {
        String marker = ZkPaths.deleteTopic(name);
        try {
            if (zk.checkExists().forPath(ZkPaths.topic(name)) == null) {
                throw new UnknownTopicException("cannot delete topic '" + name + "': it does not exist");
            }
            zk.create().creatingParentsIfNeeded().forPath(marker);
            LOG.info("topic {} marked for deletion at {}", name, marker);
        } catch (KeeperException.NodeExistsException already) {
            LOG.info("topic {} is already marked for deletion", name);
        } catch (UnknownTopicException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("cannot mark topic '" + name + "' for deletion at " + marker, e);
        }
    }

    /** Whether a topic is marked for deletion and not yet deleted. Blocks. */
    public boolean isMarkedForDeletion(String name) {
        return exists(ZkPaths.deleteTopic(name));
    }

    /** The topic's assignment, if it exists. Blocks. */
    public Optional<TopicAssignment> readTopic(String name) {
        return read(ZkPaths.topic(name), TopicAssignment.class).map(Versioned::value);
    }

    /** Names of all topics, including those marked for deletion. Blocks. */
    public List<String> listTopics() {
        try {
            return zk.getChildren().forPath(ZkPaths.topics()).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new ZkOperationException("cannot list topics at " + ZkPaths.topics(), e);
        }
    }

    /** A partition's state and its znode version, if the znode exists. Blocks. */
    public Optional<Versioned<PartitionState>> readPartitionState(String topic, int partition) {
        return read(ZkPaths.partitionState(topic, partition), PartitionState.class);
    }

    /**
     * Writes a partition's state if its znode is still at {@code expectedZkVersion}. Blocks.
     *
     * @return true if written (the znode is now at {@code expectedZkVersion + 1}); false if another
     *         writer got there first or the znode is gone: re-read before doing anything else
     *         (docs/architecture.md: whoever loses a CAS re-reads)
     */
    public boolean casPartitionState(String topic, int partition, PartitionState next, int expectedZkVersion) {
        String path = ZkPaths.partitionState(topic, partition);
        try {
            zk.setData().withVersion(expectedZkVersion).forPath(path, ZkJson.toBytes(next));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            LOG.info("topic {} partition {}: state CAS at version {} lost ({})", topic, partition, expectedZkVersion,
                    lost.code());
            return false;
        } catch (Exception e) {
            throw new ZkOperationException("cannot write the state of topic '" + topic + "' partition " + partition, e);
        }
    }

    private void refuseExistingOrColliding(String name) {
        if (isMarkedForDeletion(name)) {
            throw new TopicExistsException("topic '" + name + "' is still being deleted; create it again once it is gone");
        }
        for (String existing : listTopics()) {
            if (existing.equals(name)) {
                throw new TopicExistsException("topic '" + name + "' already exists");
            }
            if (TopicNames.collide(existing, name)) {
                throw new TopicExistsException("topic '" + name + "' collides with existing topic '" + existing
                        + "': names that differ only in '.' and '_' share metric names");
            }
        }
    }

    private static void validateAssignment(String name, Map<Integer, List<Integer>> assignment) {
        if (assignment == null || assignment.isEmpty()) {
            throw new InvalidReplicaAssignmentException("topic '" + name + "' needs at least one partition, got: " + assignment);
        }
        int replicas = -1;
        for (int p = 0; p < assignment.size(); p++) {
            List<Integer> list = assignment.get(p);
            if (list == null) {
                throw new InvalidReplicaAssignmentException("topic '" + name + "': partitions must be numbered 0.."
                        + (assignment.size() - 1) + ", got: " + new java.util.TreeSet<>(assignment.keySet()));
            }
            Set<Integer> distinct = new HashSet<>(list);
            if (list.isEmpty() || distinct.size() != list.size() || distinct.stream().anyMatch(b -> b == null || b < 0)) {
                throw new InvalidReplicaAssignmentException("topic '" + name + "' partition " + p
                        + ": replicas must be distinct broker ids, got: " + list);
            }
            if (replicas >= 0 && list.size() != replicas) {
                throw new InvalidReplicaAssignmentException("topic '" + name + "': every partition needs the same number of replicas, got: "
                        + assignment);
            }
            replicas = list.size();
        }
    }

    private boolean exists(String path) {
        try {
            return zk.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new ZkOperationException("cannot check " + path, e);
        }
    }

    private <T> Optional<Versioned<T>> read(String path, Class<T> type) {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(ZkJson.fromBytes(data, type), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("cannot read " + path, e);
        }
    }
}
