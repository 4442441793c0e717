package io.tributary.broker.group;

/**
 * The group coordinator's settings, named after Kafka's broker configs (docs/operations.md, "Consumer groups").
 *
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms}
 * @param maxGroupSize            {@code group.max.size}
 * @param commitTimeoutMs         {@code offsets.commit.timeout.ms}
 * @param maxMetadataBytes        {@code offset.metadata.max.bytes}
 * @param retentionMs             {@code offsets.retention.minutes}, in milliseconds
 */
public record GroupSettings(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs, int maxGroupSize,
                            int commitTimeoutMs, int maxMetadataBytes, long retentionMs) {
}
