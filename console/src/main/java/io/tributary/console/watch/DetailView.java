package io.tributary.console.watch;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Map;

/**
 * What the slow poll gathers: offsets, sizes on disk, topic config overrides, groups, and each broker's
 * metrics.listener (absent for a broker that does not report one, such as Apache Kafka).
 *
 * @param sizes per broker, the size of each partition replica it holds
 */
public record DetailView(long atMs, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                         Map<Integer, Map<TopicPartition, Long>> sizes, Map<String, Map<String, String>> topicConfigs,
                         List<GroupView> groups, Map<Integer, String> metricsUrls) {
    public static final DetailView EMPTY = new DetailView(0, Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of());

    public DetailView {
        earliest = Map.copyOf(earliest);
        latest = Map.copyOf(latest);
        sizes = Map.copyOf(sizes);
        topicConfigs = Map.copyOf(topicConfigs);
        groups = List.copyOf(groups);
        metricsUrls = Map.copyOf(metricsUrls);
    }
}
