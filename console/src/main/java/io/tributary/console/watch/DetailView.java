package io.tributary.console.watch;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the slow poll gathers: offsets, sizes on disk, topic config overrides, groups, and each broker's
 * metrics.listener (absent for a broker that does not report one, such as Apache Kafka).
 *
 * @param sizes          per broker, the size of each partition replica it holds
 * @param latestAnswered the partitions whose latest offset this poll got from the leader; the others in
 *                       {@code latest} are carried over from an earlier poll (their leader did not answer), shown but
 *                       never used for a rate
 */
public record DetailView(long atMs, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                         Map<Integer, Map<TopicPartition, Long>> sizes, Map<String, Map<String, String>> topicConfigs,
                         List<GroupView> groups, Map<Integer, String> metricsUrls, Set<TopicPartition> latestAnswered) {
    public static final DetailView EMPTY = new DetailView(0, Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of());

    public DetailView {
        earliest = Map.copyOf(earliest);
        latest = Map.copyOf(latest);
        sizes = Map.copyOf(sizes);
        topicConfigs = Map.copyOf(topicConfigs);
        groups = List.copyOf(groups);
        metricsUrls = Map.copyOf(metricsUrls);
        latestAnswered = Set.copyOf(latestAnswered);
    }

    /** A view whose latest offsets were all answered in this poll. */
    public DetailView(long atMs, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                      Map<Integer, Map<TopicPartition, Long>> sizes, Map<String, Map<String, String>> topicConfigs,
                      List<GroupView> groups, Map<Integer, String> metricsUrls) {
        this(atMs, earliest, latest, sizes, topicConfigs, groups, metricsUrls, latest.keySet());
    }
}
