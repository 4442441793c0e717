package io.tributary.client.common;

import java.util.List;

/** A partition's placement: its leader (null when it has none), its replicas and its in-sync replicas. */
public record PartitionInfo(String topic, int partition, Node leader, List<Node> replicas, List<Node> isr) {
    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
