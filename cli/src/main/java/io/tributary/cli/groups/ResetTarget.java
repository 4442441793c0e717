package io.tributary.cli.groups;

/**
 * Where --reset-offsets moves a group's position in each partition; the flags of kafka-consumer-groups.
 * Every target is resolved against the partition's offsets by {@link ResetPlanner}.
 */
public sealed interface ResetTarget {
    /** The log start offset (--to-earliest). */
    record Earliest() implements ResetTarget {
    }

    /** The log end offset, i.e. after the last record (--to-latest). */
    record Latest() implements ResetTarget {
    }

    /** A given offset (--to-offset). */
    record ToOffset(long offset) implements ResetTarget {
    }

    /** The committed offset moved by a signed amount (--shift-by). */
    record ShiftBy(long delta) implements ResetTarget {
    }

    /** The first record stamped at or after a time (--to-datetime), in epoch milliseconds. */
    record ToTimestamp(long timestampMs) implements ResetTarget {
    }

    /** The committed offset again, clamped into the log (--to-current). */
    record Current() implements ResetTarget {
    }
}
