package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;

import java.util.Map;
import java.util.Objects;

/**
 * One log dir of a broker as DescribeLogDirs reports it.
 *
 * @param path           the dir as the broker names it
 * @param error          Kafka's error name for the dir ("NONE" when it is healthy, e.g. KAFKA_STORAGE_ERROR when not)
 * @param partitionBytes the size on disk of each partition replica in the dir
 */
public record LogDirDescription(String path, String error, Map<TopicPartition, Long> partitionBytes) {
    public LogDirDescription {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(error, "error");
        partitionBytes = Map.copyOf(partitionBytes);
    }
}
