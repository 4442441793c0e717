package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds ListOffsets requests (v1-v8). A timestamp of -2 asks for the log start offset, -1 for the
 * high watermark (the end a READ_UNCOMMITTED consumer can read to). Fields added in later versions
 * (isolation level v2, current leader epoch v4) stay at their defaults.
 */
final class ListOffsetsRequests {
    static final long EARLIEST_TIMESTAMP = -2L;
    static final long LATEST_TIMESTAMP = -1L;

    private ListOffsetsRequests() {
    }

    static ListOffsetsRequestData build(Map<TopicPartition, Long> timestamps) {
        Map<String, List<ListOffsetsPartition>> byTopic = new LinkedHashMap<>();
        timestamps.forEach((tp, ts) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new ListOffsetsPartition().setPartitionIndex(tp.partition()).setTimestamp(ts)));
        List<ListOffsetsTopic> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new ListOffsetsTopic().setName(name).setPartitions(partitions)));
        return new ListOffsetsRequestData().setReplicaId(-1).setTopics(topics);
    }
}
