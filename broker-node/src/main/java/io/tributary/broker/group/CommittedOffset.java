package io.tributary.broker.group;

/**
 * A group's committed position in one partition, and where in the offsets partition the commit was written:
 * commits are applied in memory in log order, so the one that replay would keep is the one served.
 */
record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp, long recordOffset) {
}
