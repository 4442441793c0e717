package io.tributary.client.admin;

import io.tributary.client.common.Node;

import java.util.List;

/** The live brokers and the controller (null if the cluster has none at the moment). */
public record ClusterDescription(String clusterId, Node controller, List<Node> brokers) {
    public ClusterDescription {
        brokers = List.copyOf(brokers);
    }
}
