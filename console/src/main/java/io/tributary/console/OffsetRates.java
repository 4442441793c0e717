package io.tributary.console;

import io.tributary.client.common.TopicPartition;
import io.tributary.console.watch.DetailView;

import java.util.HashMap;
import java.util.Map;

/**
 * Records appended per second per topic, from the growth of the partitions' latest offsets between two detail
 * polls: the throughput any Kafka cluster shows, where the brokers' messages-in counters are not available. Only
 * partitions answered by their leader in both polls count (a value carried over while the leader did not answer
 * would read as 0/s); a partition whose offset went down (recreated topic) counts nothing. A topic with no such
 * partition has no rate (shown as "–"), rather than a made-up 0.
 */
final class OffsetRates {

    private OffsetRates() {
    }

    static Map<String, Double> between(DetailView previous, DetailView next) {
        if (previous == null || next.atMs() <= previous.atMs() || previous.latest().isEmpty()) {
            return Map.of();
        }
        double seconds = (next.atMs() - previous.atMs()) / 1000.0;
        Map<String, Double> rates = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : next.latest().entrySet()) {
            Long before = previous.latest().get(e.getKey());
            if (before != null && previous.latestAnswered().contains(e.getKey()) && next.latestAnswered().contains(e.getKey())) {
                rates.merge(e.getKey().topic(), Math.max(0, e.getValue() - before) / seconds, Double::sum);
            }
        }
        return rates;
    }
}
