package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Data of {@code /brokers/topics/<t>}: the topic id and, per partition, its replicas (the first is
 * the preferred leader).
 *
 * @param topicId Kafka's Uuid text form (22 chars of url-safe base64), see {@link io.tributary.zk.RandomIds}
 */
public record TopicAssignment(
        @JsonProperty("topic_id") String topicId,
        @JsonProperty("partitions") Map<Integer, List<Integer>> partitions) implements ZkRecord {

    @JsonCreator
    public TopicAssignment {
        Objects.requireNonNull(topicId, "topic_id");
        Objects.requireNonNull(partitions, "partitions");
        SortedMap<Integer, List<Integer>> copy = new TreeMap<>();
        partitions.forEach((p, replicas) -> copy.put(p, List.copyOf(replicas)));
        partitions = Collections.unmodifiableSortedMap(copy);
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }

    /** Replicas of one partition, or an empty list if the topic has no such partition. */
    public List<Integer> replicas(int partition) {
        return partitions.getOrDefault(partition, List.of());
    }
}
