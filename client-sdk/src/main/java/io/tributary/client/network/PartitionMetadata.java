package io.tributary.client.network;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/** One partition as the last Metadata response described it; {@code leaderId} is -1 without a leader. */
public record PartitionMetadata(TopicPartition topicPartition, Errors error, int leaderId, int leaderEpoch,
                                List<Integer> replicaIds, List<Integer> isrIds) {
    public PartitionMetadata {
        replicaIds = List.copyOf(replicaIds);
        isrIds = List.copyOf(isrIds);
    }

    public boolean hasLeader() {
        return leaderId >= 0;
    }
}
