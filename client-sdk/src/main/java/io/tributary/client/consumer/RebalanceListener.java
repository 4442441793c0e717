package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.Collection;

/**
 * Told when the group moves partitions to or from this consumer; every call runs on the consumer's thread,
 * inside poll() (or close()/unsubscribe()), so it may use the consumer, e.g. commitSync().
 */
public interface RebalanceListener {
    /**
     * The consumer is about to give these partitions up, and still owns them: the place to commit what was
     * processed (with auto-commit on, the consumer has committed their positions just before this call). Eager
     * rebalancing revokes everything before each rebalance; cooperative only what moves to another member.
     */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** The consumer now owns these partitions (only the new ones with cooperative rebalancing). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * The partitions were lost without a clean hand-over (the session expired, the member was fenced or missed
     * max.poll.interval.ms): other members may own them already, so committing is pointless. As in Kafka, the
     * default treats this as a revocation.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    /** A listener that does nothing. */
    RebalanceListener NONE = new RebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };
}
