package io.tributary.console.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-second rates between two scrapes of one broker. A counter that went down (the broker restarted) counts from
 * zero, as Prometheus' rate() does.
 */
public record BrokerRates(double bytesInPerSec, double bytesOutPerSec, double replicationBytesInPerSec,
                          double replicationBytesOutPerSec, Map<String, Double> messagesInPerSecByTopic) {

    public BrokerRates {
        messagesInPerSecByTopic = Map.copyOf(messagesInPerSecByTopic);
    }

    /** The rates from {@code previous} to {@code next}, or null when there is no interval to divide by. */
    public static BrokerRates between(BrokerMetrics previous, BrokerMetrics next) {
        if (previous == null || next == null || next.scrapedAtMs() <= previous.scrapedAtMs()) {
            return null;
        }
        double seconds = (next.scrapedAtMs() - previous.scrapedAtMs()) / 1000.0;
        Map<String, Double> messages = new HashMap<>();
        next.messagesIn().forEach((topic, value) ->
                messages.put(topic, increase(previous.messagesIn().get(topic), value) / seconds));
        return new BrokerRates(total(previous.bytesIn(), next.bytesIn()) / seconds,
                total(previous.bytesOut(), next.bytesOut()) / seconds,
                total(previous.replicationBytesIn(), next.replicationBytesIn()) / seconds,
                total(previous.replicationBytesOut(), next.replicationBytesOut()) / seconds, messages);
    }

    private static double total(Map<String, Double> previous, Map<String, Double> next) {
        double sum = 0;
        for (Map.Entry<String, Double> e : next.entrySet()) {
            sum += increase(previous.get(e.getKey()), e.getValue());
        }
        return sum;
    }

    private static double increase(Double previous, double next) {
        if (previous == null || next < previous) {
            return previous == null ? 0 : next;
        }
        return next - previous;
    }
}
