package io.tributary.cli;

import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a topic the way {@code kafka-topics.sh --describe} does, so operators and scripts that know
 * Kafka's output can read ours: a summary line, then one tab-indented line per partition.
 */
final class TopicDescriptionFormat {

    private TopicDescriptionFormat() {
    }

    static List<String> lines(TopicDescription topic) {
        List<PartitionInfo> partitions = new ArrayList<>(topic.partitions());
        partitions.sort(Comparator.comparingInt(PartitionInfo::partition));
        // Kafka reports the replication factor as the replica count of the first partition.
        int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        List<String> lines = new ArrayList<>(partitions.size() + 1);
        lines.add("Topic: " + topic.name() + "\tTopicId: " + topic.topicId() + "\tPartitionCount: " + partitions.size()
                + "\tReplicationFactor: " + replicationFactor);
        for (PartitionInfo p : partitions) {
            lines.add("\tTopic: " + topic.name() + "\tPartition: " + p.partition()
                    + "\tLeader: " + (p.leader() == null ? "none" : Integer.toString(p.leader().id()))
                    + "\tReplicas: " + ids(p.replicas())
                    + "\tIsr: " + ids(p.isr()));
        }
        return lines;
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }
}
