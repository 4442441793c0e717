package io.tributary.console.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console takes from one scrape of a broker's /metrics: gauges as read, and the per-topic counters the
 * rates are computed from. A gauge the broker did not report is null (shown as "–").
 */
public record BrokerMetrics(long scrapedAtMs, Double leaderCount, Double partitionCount, Double underReplicated,
                            Double underMinIsr, Double activeController, Double offlinePartitions, Double rssBytes,
                            Map<String, Double> messagesIn, Map<String, Double> bytesIn, Map<String, Double> bytesOut,
                            Map<String, Double> replicationBytesIn, Map<String, Double> replicationBytesOut) {

    public BrokerMetrics {
        messagesIn = Map.copyOf(messagesIn);
        bytesIn = Map.copyOf(bytesIn);
        bytesOut = Map.copyOf(bytesOut);
        replicationBytesIn = Map.copyOf(replicationBytesIn);
        replicationBytesOut = Map.copyOf(replicationBytesOut);
    }

    public static BrokerMetrics from(List<Sample> samples, long scrapedAtMs) {
        return new BrokerMetrics(scrapedAtMs,
                gauge(samples, MetricNames.LEADER_COUNT), gauge(samples, MetricNames.PARTITION_COUNT),
                gauge(samples, MetricNames.UNDER_REPLICATED), gauge(samples, MetricNames.UNDER_MIN_ISR),
                gauge(samples, MetricNames.ACTIVE_CONTROLLER), gauge(samples, MetricNames.OFFLINE_PARTITIONS),
                gauge(samples, MetricNames.RSS),
                perTopic(samples, MetricNames.MESSAGES_IN), perTopic(samples, MetricNames.BYTES_IN),
                perTopic(samples, MetricNames.BYTES_OUT), perTopic(samples, MetricNames.REPLICATION_BYTES_IN),
                perTopic(samples, MetricNames.REPLICATION_BYTES_OUT));
    }

    /** The sum of every series of the name (a gauge without labels has one), or null when there is none. */
    private static Double gauge(List<Sample> samples, String name) {
        Double sum = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && !Double.isNaN(s.value())) {
                sum = (sum == null ? 0 : sum) + s.value();
            }
        }
        return sum;
    }

    private static Map<String, Double> perTopic(List<Sample> samples, String name) {
        Map<String, Double> byTopic = new HashMap<>();
        for (Sample s : samples) {
            String topic = s.label("topic");
            if (s.name().equals(name) && topic != null && !Double.isNaN(s.value())) {
                byTopic.merge(topic, s.value(), Double::sum);
            }
        }
        return byTopic;
    }
}
