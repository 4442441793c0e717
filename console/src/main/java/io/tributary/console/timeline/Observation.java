package io.tributary.console.timeline;

import io.tributary.client.common.TopicPartition;

import java.util.Map;

/** The cluster at one moment, reduced to what the timeline diffs: broker states, the controller and partitions. */
public record Observation(long atMs, int controllerId, Map<Integer, BrokerState> brokers,
                          Map<TopicPartition, PartitionState> partitions) {
    public Observation {
        brokers = Map.copyOf(brokers);
        partitions = Map.copyOf(partitions);
    }

    public BrokerState stateOf(int broker) {
        return brokers.get(broker);
    }
}
