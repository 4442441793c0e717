package io.tributary.broker.metrics;

import java.time.Duration;

/**
 * The buckets of the broker's latency histograms (requests per API, ZooKeeper operations): few and fixed, from
 * 1 ms to 30 s, so a dashboard's {@code histogram_quantile} works the same on all of them and dozens of APIs do
 * not multiply into hundreds of series.
 */
final class LatencyBuckets {

    private LatencyBuckets() {
    }

    static Duration[] get() {
        return new Duration[] {
                Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    }
}
