package io.tributary.console.watch;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as one Metadata response showed it (the fast poll): live brokers, the controller (-1 when none) and every
 * topic's partitions, internal topics included and named in {@code internalTopics} (the response's isInternal flag).
 */
public record ClusterView(long atMs, String clusterId, int controllerId, Map<Integer, Node> brokers,
                          Map<String, List<PartitionInfo>> topics, Set<String> internalTopics) {
    public ClusterView {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        internalTopics = Set.copyOf(internalTopics);
    }
}
