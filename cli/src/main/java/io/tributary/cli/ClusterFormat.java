package io.tributary.cli;

import io.tributary.client.admin.ClusterDescription;
import io.tributary.client.common.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints the cluster for {@code topics --describe-cluster}: the id, the controller and one
 * {@code Broker:} line per live broker (bin/cluster-start counts those lines to know when every
 * broker has registered, so keep the prefix).
 */
final class ClusterFormat {

    private ClusterFormat() {
    }

    static List<String> lines(ClusterDescription cluster) {
        List<Node> brokers = new ArrayList<>(cluster.brokers());
        brokers.sort(Comparator.comparingInt(Node::id));
        List<String> lines = new ArrayList<>(brokers.size() + 2);
        lines.add("Cluster ID: " + (cluster.clusterId() == null ? "none" : cluster.clusterId()));
        lines.add("Controller: " + (cluster.controller() == null ? "none" : cluster.controller().id()));
        for (Node broker : brokers) {
            lines.add("Broker: " + broker.id() + "\tHost: " + broker.host() + "\tPort: " + broker.port()
                    + "\tRack: " + (broker.rack() == null ? "none" : broker.rack()));
        }
        return lines;
    }
}
