package io.tributary.console.watch;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as one Metadata response showed it (the fast poll): live brokers, the controller (-1 when none) and every
 * topic's partitions, internal topics included and named in {@code internalTopics} (the response's isInternal flag),
 * and each topic's id where the broker sent one (a topic deleted and created again under its name gets a new id).
 */
public record ClusterView(long atMs, String clusterId, int controllerId, Map<Integer, Node> brokers,
                          Map<String, List<PartitionInfo>> topics, Set<String> internalTopics, Map<String, String> topicIds) {
    public ClusterView {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        internalTopics = Set.copyOf(internalTopics);
        topicIds = Map.copyOf(topicIds);
    }

    /** A view without topic ids (a broker older than Metadata v10). */
    public ClusterView(long atMs, String clusterId, int controllerId, Map<Integer, Node> brokers,
                       Map<String, List<PartitionInfo>> topics, Set<String> internalTopics) {
        this(atMs, clusterId, controllerId, brokers, topics, internalTopics, Map.of());
    }
}
