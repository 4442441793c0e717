package io.tributary.cli;

import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Prints a topic the way {@code kafka-topics.sh --describe} does, so operators and scripts that know
 * Kafka's output can read ours: a summary line, then one tab-indented line per partition. Beside
 * Kafka's columns a partition line carries its leader epoch, and an unhealthy partition ends with
 * {@code Offline:} (the replicas whose broker is down) and {@code State:} (offline when it has no
 * leader, else under-replicated when its ISR is smaller than its replica set).
 */
final class TopicDescriptionFormat {

    /** Which partitions {@code --describe} prints; Kafka's tool has the same two filters. */
    enum Filter {
        ALL(p -> true),
        UNDER_REPLICATED(PartitionInfo::underReplicated),
        UNAVAILABLE(PartitionInfo::offline);

        private final Predicate<PartitionInfo> test;

        Filter(Predicate<PartitionInfo> test) {
            this.test = test;
        }
    }

    private TopicDescriptionFormat() {
    }

    static List<String> lines(TopicDescription topic) {
        return lines(topic, Filter.ALL);
    }

    /** With a filter other than ALL only the matching partition lines, no summary line (as Kafka does). */
    static List<String> lines(TopicDescription topic, Filter filter) {
        List<PartitionInfo> partitions = new ArrayList<>(topic.partitions());
        partitions.sort(Comparator.comparingInt(PartitionInfo::partition));
        // Kafka reports the replication factor as the replica count of the first partition.
        int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        List<String> lines = new ArrayList<>(partitions.size() + 1);
        if (filter == Filter.ALL) {
            lines.add("Topic: " + topic.name() + "\tTopicId: " + topic.topicId() + "\tPartitionCount: " + partitions.size()
                    + "\tReplicationFactor: " + replicationFactor);
        }
        for (PartitionInfo p : partitions) {
            if (filter.test.test(p)) {
                lines.add(partitionLine(p));
            }
        }
        return lines;
    }

    static String partitionLine(PartitionInfo p) {
        StringBuilder line = new StringBuilder()
                .append("\tTopic: ").append(p.topic())
                .append("\tPartition: ").append(p.partition())
                .append("\tLeader: ").append(p.leader() == null ? "none" : Integer.toString(p.leader().id()))
                .append("\tLeaderEpoch: ").append(p.leaderEpoch() < 0 ? "unknown" : Integer.toString(p.leaderEpoch()))
                .append("\tReplicas: ").append(ids(p.replicas()))
                .append("\tIsr: ").append(ids(p.isr()));
        if (!p.offlineReplicas().isEmpty()) {
            line.append("\tOffline: ").append(ids(p.offlineReplicas()));
        }
        if (p.offline()) {
            line.append("\tState: offline");
        } else if (p.underReplicated()) {
            line.append("\tState: under-replicated");
        }
        return line.toString();
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }
}
