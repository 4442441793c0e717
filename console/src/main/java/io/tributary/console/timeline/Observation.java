package io.tributary.console.timeline;

import io.tributary.client.common.TopicPartition;

import java.util.Map;

/**
 * The cluster at one moment, reduced to what the timeline diffs: broker states, the controller and partitions, and
 * for an unreachable broker the error its probe got (e.g. "Connection refused: localhost/127.0.0.1:9093").
 */
public record Observation(long atMs, int controllerId, Map<Integer, BrokerState> brokers,
                          Map<TopicPartition, PartitionState> partitions, Map<Integer, String> unreachableBecause) {
    public Observation {
        brokers = Map.copyOf(brokers);
        partitions = Map.copyOf(partitions);
        unreachableBecause = Map.copyOf(unreachableBecause);
    }

    public Observation(long atMs, int controllerId, Map<Integer, BrokerState> brokers,
                       Map<TopicPartition, PartitionState> partitions) {
        this(atMs, controllerId, brokers, partitions, Map.of());
    }

    public BrokerState stateOf(int broker) {
        return brokers.get(broker);
    }
}
