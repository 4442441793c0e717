package io.tributary.client.network;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the cluster from Metadata responses: brokers, controller and the topics this
 * client asked about. Replaced wholesale on each refresh, so readers never see a half-updated state.
 */
public record ClusterSnapshot(String clusterId, int controllerId, Map<Integer, Node> brokers,
                             Map<String, TopicMetadata> topics, long updatedAtMs) {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(null, -1, Map.of(), Map.of(), 0L);

    public ClusterSnapshot {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
    }

    /** The controller, or null if the metadata names none or names a broker it does not list. */
    public Node controller() {
        return controllerId < 0 ? null : brokers.get(controllerId);
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<PartitionMetadata> partition(TopicPartition tp) {
        TopicMetadata t = topics.get(tp.topic());
        if (t == null || tp.partition() >= t.partitions().size()) {
            return Optional.empty();
        }
        PartitionMetadata p = t.partitions().get(tp.partition());
        return p.topicPartition().equals(tp) ? Optional.of(p) : Optional.empty();
    }

    /** The leader's broker, if the partition has a leader that is a live broker. */
    public Optional<Node> leaderFor(TopicPartition tp) {
        return partition(tp).filter(PartitionMetadata::hasLeader).map(p -> brokers.get(p.leaderId()));
    }

    public Node nodeOrUnknown(int id) {
        Node n = brokers.get(id);
        return n != null ? n : Node.unknown(id);
    }

    public List<PartitionInfo> partitionInfos(String topic) {
        TopicMetadata t = topics.get(topic);
        if (t == null) {
            return List.of();
        }
        // A replica whose broker the metadata does not list is offline: brokers list only live ones.
        return t.partitions().stream().map(p -> new PartitionInfo(topic, p.topicPartition().partition(),
                p.hasLeader() ? nodeOrUnknown(p.leaderId()) : null, p.leaderEpoch(),
                p.replicaIds().stream().map(this::nodeOrUnknown).toList(),
                p.isrIds().stream().map(this::nodeOrUnknown).toList(),
                p.replicaIds().stream().filter(id -> !brokers.containsKey(id)).map(Node::unknown).toList())).toList();
    }
}
