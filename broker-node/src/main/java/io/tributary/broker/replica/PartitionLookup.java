package io.tributary.broker.replica;

import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.metadata.TopicMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/** Finds the local replica a client request addresses, with the error code Kafka clients expect when it is not here. */
public final class PartitionLookup {

    private final int brokerId;
    private final ReplicaManager replicas;

    public PartitionLookup(int brokerId, ReplicaManager replicas) {
        this.brokerId = brokerId;
        this.replicas = replicas;
    }

    /**
     * The partition this broker leads, or an ApiError: UNKNOWN_TOPIC_OR_PARTITION if the topic has no
     * such partition, NOT_LEADER_OR_FOLLOWER if another broker leads it (the client refreshes metadata).
     */
    public Partition leaderFor(TopicMetadata topic, int partitionIndex) {
        if (!topic.partitions().containsKey(partitionIndex)) {
            throw new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "topic " + topic.name() + " has no partition " + partitionIndex);
        }
        TopicPartition tp = new TopicPartition(topic.name(), partitionIndex);
        Partition partition = replicas.partition(tp)
                .orElseThrow(() -> new ApiError(Errors.NOT_LEADER_OR_FOLLOWER,
                        "broker " + brokerId + " holds no replica of " + tp));
        if (!partition.isLeader()) {
            throw new ApiError(Errors.NOT_LEADER_OR_FOLLOWER, "broker " + brokerId + " is not the leader of " + tp);
        }
        return partition;
    }

    /** Checks a client's view of the leader epoch (KIP-320): older is fenced, newer is not known here yet. */
    public static void checkLeaderEpoch(Partition partition, int requestEpoch) {
        if (requestEpoch < 0) {
            return;
        }
        int current = partition.leadership().leaderEpoch();
        if (requestEpoch < current) {
            throw new ApiError(Errors.FENCED_LEADER_EPOCH, "leader epoch " + requestEpoch + " of "
                    + partition.topicPartition() + " is older than the current " + current);
        }
        if (requestEpoch > current) {
            throw new ApiError(Errors.UNKNOWN_LEADER_EPOCH, "leader epoch " + requestEpoch + " of "
                    + partition.topicPartition() + " is newer than the current " + current);
        }
    }
}
