package io.tributary.client.network;

import org.apache.kafka.common.protocol.Errors;

import java.util.Comparator;
import java.util.List;

/** One topic from a Metadata response; {@code topicId} is null when the broker sent none (v &lt; 10). */
public record TopicMetadata(String name, String topicId, Errors error, boolean internal, List<PartitionMetadata> partitions) {
    public TopicMetadata {
        partitions = partitions.stream()
                .sorted(Comparator.comparingInt(p -> p.topicPartition().partition()))
                .toList();
    }

    public int partitionCount() {
        return partitions.size();
    }
}
