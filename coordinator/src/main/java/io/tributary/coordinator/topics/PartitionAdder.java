package io.tributary.coordinator.topics;

import io.tributary.coordinator.ZkOperationException;
import io.tributary.coordinator.assignment.InvalidPartitionsException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import io.tributary.zk.model.TopicAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds partitions to an existing topic (CreatePartitions): in one ZooKeeper transaction, the topic znode gets the
 * longer assignment (compare-and-set on its version, so two admins cannot both add "partition 3") and each new
 * partition its state znode (no leader, epoch 0, every replica in the ISR), exactly as a new topic's partitions
 * start. The brokers' metadata caches then see the new partitions and their replicas join the elections. Blocks.
 */
public final class PartitionAdder {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionAdder.class);

    private final CuratorFramework zk;

    public PartitionAdder(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk");
    }

    /** The topic's current assignment and the version of its znode, the token for {@link #add}. */
    public record Current(TopicAssignment assignment, int zkVersion) {}

    /** @throws UnknownTopicException if the topic does not exist */
    public Current read(String topic) {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(ZkPaths.topic(topic));
            return new Current(ZkJson.fromBytes(data, TopicAssignment.class), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            throw new UnknownTopicException("topic '" + topic + "' does not exist");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("cannot read topic '" + topic + "'", e);
        }
    }

    /**
     * Writes the new partitions, numbered on from the current count.
     *
     * @param newPartitions partition -> replicas for partitions current..current+n-1, as {@code assign} computes them
     *                      from the current assignment
     * @return the assignment written
     * @throws InvalidPartitionsException if the topic changed since {@link #read} (retry from a fresh read)
     */
    public TopicAssignment add(String topic, Current current, Map<Integer, List<Integer>> newPartitions) {
        Map<Integer, List<Integer>> all = new TreeMap<>(current.assignment().partitions());
        all.putAll(newPartitions);
        TopicAssignment next = new TopicAssignment(current.assignment().topicId(), all);
        List<CuratorOp> ops = new ArrayList<>();
        try {
            ops.add(zk.transactionOp().setData().withVersion(current.zkVersion()).forPath(ZkPaths.topic(topic), ZkJson.toBytes(next)));
            for (Map.Entry<Integer, List<Integer>> partition : newPartitions.entrySet()) {
                int p = partition.getKey();
                ops.add(zk.transactionOp().create().forPath(ZkPaths.partition(topic, p)));
                ops.add(zk.transactionOp().create().forPath(ZkPaths.partitionState(topic, p),
                        ZkJson.toBytes(PartitionState.initial(partition.getValue()))));
            }
            zk.transaction().forOperations(ops);
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
            throw new InvalidPartitionsException("topic '" + topic + "' changed while partitions were being added; try again");
        } catch (Exception e) {
            throw new ZkOperationException("cannot add partitions to topic '" + topic + "'", e);
        }
        LOG.info("topic {}: added partitions {} (now {})", topic, newPartitions, all.size());
        return next;
    }
}
