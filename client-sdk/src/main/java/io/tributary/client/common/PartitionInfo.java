package io.tributary.client.common;

import java.util.List;

/**
 * A partition's placement as the metadata describes it: its leader (null when it has none), the
 * leader epoch (bumped by every leader change; -1 when unknown, e.g. from a Metadata response older
 * than v7), its replicas, its in-sync replicas, and the replicas whose broker is not live.
 */
public record PartitionInfo(String topic, int partition, Node leader, int leaderEpoch, List<Node> replicas,
                            List<Node> isr, List<Node> offlineReplicas) {
    public static final int UNKNOWN_LEADER_EPOCH = -1;

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        offlineReplicas = List.copyOf(offlineReplicas);
    }

    /** Without the leader epoch and offline replicas (both unknown). */
    public PartitionInfo(String topic, int partition, Node leader, List<Node> replicas, List<Node> isr) {
        this(topic, partition, leader, UNKNOWN_LEADER_EPOCH, replicas, isr, List.of());
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** No leader: the partition can be neither written nor read. */
    public boolean offline() {
        return leader == null;
    }

    /** Fewer in-sync replicas than replicas. */
    public boolean underReplicated() {
        return isr.size() < replicas.size();
    }
}
