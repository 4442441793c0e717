package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;

import java.util.Set;

/** auto.offset.reset=none and a partition has no valid position (never set, or out of range). */
public class NoOffsetForPartitionException extends TributaryException {
    private final Set<TopicPartition> partitions;

    public NoOffsetForPartitionException(Set<TopicPartition> partitions) {
        super("No valid position and auto.offset.reset=none for partitions " + partitions + "; call seek() first");
        this.partitions = Set.copyOf(partitions);
    }

    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
