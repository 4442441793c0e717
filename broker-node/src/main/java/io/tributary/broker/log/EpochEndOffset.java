package io.tributary.broker.log;

/**
 * The answer to OffsetsForLeaderEpoch (KIP-101, KIP-279): the largest epoch at or below the requested one
 * and the offset where it ended (the start of the next epoch, or the log end offset for the latest epoch).
 * Both are -1 (UNDEFINED) when the requested epoch is unknown or newer than any this replica knows.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);
}
