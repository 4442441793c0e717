package io.tributary.cli.groups;

import io.tributary.client.common.TopicPartition;

/**
 * One line of {@code --describe}: a partition the group is assigned or has committed.
 *
 * @param committed the group's committed offset, null when it has none
 * @param logEnd    the partition's log end offset, null when it could not be read
 * @param consumerId the member the partition is assigned to, "-" when none is
 */
public record OffsetRow(String group, TopicPartition partition, Long committed, Long logEnd,
                        String consumerId, String host, String clientId) {
    public static final String NONE = "-";

    /**
     * Records the group has yet to read: log end minus committed offset; null when either is unknown.
     * Never negative: a log truncated below the commit has nothing left to read.
     */
    public Long lag() {
        return committed == null || logEnd == null ? null : Math.max(0, logEnd - committed);
    }
}
