package io.tributary.coordinator.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A topic as the cluster sees it: assignment, partition states and config overrides.
 *
 * @param topicId Kafka's Uuid text form; {@code Uuid.fromString(topicId)} in the broker
 * @param configs per-topic overrides from /config/topics/&lt;t&gt; (empty when none)
 */
public record TopicMetadata(String name, String topicId, Map<Integer, PartitionMetadata> partitions, Map<String, String> configs) {

    public TopicMetadata {
        partitions = Collections.unmodifiableMap(new TreeMap<>(partitions));
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    public Optional<PartitionMetadata> partition(int partition) {
        return Optional.ofNullable(partitions.get(partition));
    }
}
