package io.tributary.client.consumer;

import io.tributary.client.common.TributaryException;

/**
 * A commit that cannot succeed by retrying: the group rebalanced (this member's generation is over, or a
 * rebalance is in progress) and the partitions may already belong to another member. As with Kafka's client,
 * the records since the last commit may be delivered again to whoever owns the partitions next; poll() again
 * to rejoin.
 */
public class CommitFailedException extends TributaryException {
    public CommitFailedException(String message) {
        super(message);
    }
}
