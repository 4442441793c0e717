package io.tributary.client.consumer;

/** {@code auto.offset.reset}: where to start when a partition has no valid position. */
public enum OffsetResetStrategy {
    EARLIEST(-2L),
    LATEST(-1L),
    NONE(Long.MIN_VALUE);

    /** The special ListOffsets timestamp that asks for this offset (-2 earliest, -1 latest). */
    private final long listOffsetsTimestamp;

    OffsetResetStrategy(long listOffsetsTimestamp) {
        this.listOffsetsTimestamp = listOffsetsTimestamp;
    }

    long listOffsetsTimestamp() {
        return listOffsetsTimestamp;
    }
}
