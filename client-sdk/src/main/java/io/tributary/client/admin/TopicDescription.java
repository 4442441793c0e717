package io.tributary.client.admin;

import io.tributary.client.common.PartitionInfo;

import java.util.List;

/**
 * A topic as the metadata describes it; {@code topicId} is the base64 topic UUID, null if the broker sent none;
 * {@code internal} as the Metadata response flags it (__consumer_offsets).
 */
public record TopicDescription(String name, String topicId, List<PartitionInfo> partitions, boolean internal) {
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }

    /** A topic that is not internal. */
    public TopicDescription(String name, String topicId, List<PartitionInfo> partitions) {
        this(name, topicId, partitions, false);
    }
}
