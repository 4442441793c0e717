package io.tributary.cli.groups;

import java.util.OptionalLong;

/**
 * What is known of one partition when a group's offsets are described or reset.
 *
 * @param earliest  the log start offset
 * @param latest    the log end offset (high watermark)
 * @param committed the group's committed offset, if it has one
 * @param atTime    for --to-datetime: the first offset at or after the time, if a record is that late
 */
public record PartitionOffsets(long earliest, long latest, OptionalLong committed, OptionalLong atTime) {
    public PartitionOffsets {
        if (earliest < 0 || latest < earliest) {
            throw new IllegalArgumentException("log offsets must satisfy 0 <= earliest <= latest, not " + earliest + ", " + latest);
        }
    }
}
