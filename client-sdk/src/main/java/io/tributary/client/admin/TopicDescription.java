package io.tributary.client.admin;

import io.tributary.client.common.PartitionInfo;

import java.util.List;

/** A topic as the metadata describes it; {@code topicId} is the base64 topic UUID, null if the broker sent none. */
public record TopicDescription(String name, String topicId, List<PartitionInfo> partitions) {
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }
}
