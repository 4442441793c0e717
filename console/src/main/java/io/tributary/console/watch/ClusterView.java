package io.tributary.console.watch;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;

import java.util.List;
import java.util.Map;

/**
 * The cluster as one Metadata round showed it (the fast poll): live brokers, the controller (-1 when none) and every
 * topic's partitions, internal topics included.
 */
public record ClusterView(long atMs, String clusterId, int controllerId, Map<Integer, Node> brokers,
                          Map<String, List<PartitionInfo>> topics) {
    public ClusterView {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
    }
}
