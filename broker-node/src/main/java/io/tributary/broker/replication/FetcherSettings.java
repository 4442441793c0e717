package io.tributary.broker.replication;

/**
 * How followers fetch: Kafka's {@code replica.fetch.wait.max.ms}, {@code replica.fetch.min.bytes},
 * {@code replica.fetch.max.bytes} (per partition), {@code replica.fetch.response.max.bytes} and
 * {@code replica.fetch.backoff.ms} (the pause after a failed request).
 */
public record FetcherSettings(int maxWaitMs, int minBytes, int partitionMaxBytes, int responseMaxBytes, long backoffMs) {
}
