package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds full (sessionless) Fetch requests, v4-v12. Topics are named by NAME, which is why we stop at
 * v12 (v13 uses topic ids, KIP-516). Session id 0 with the default epoch -1 means "no fetch session"
 * (KIP-227), so every request lists every partition; replica id -1 marks a consumer; isolation level 0
 * is READ_UNCOMMITTED, reading up to the high watermark.
 */
final class FetchRequests {
    private FetchRequests() {
    }

    static FetchRequestData build(Map<TopicPartition, Long> offsets, int maxWaitMs, int minBytes, int maxBytes,
                                  int partitionMaxBytes) {
        Map<String, List<FetchPartition>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new FetchPartition().setPartition(tp.partition()).setFetchOffset(offset)
                        .setPartitionMaxBytes(partitionMaxBytes)));
        List<FetchTopic> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new FetchTopic().setTopic(name).setPartitions(partitions)));
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(maxBytes)
                .setIsolationLevel((byte) 0)
                .setTopics(topics);
    }
}
