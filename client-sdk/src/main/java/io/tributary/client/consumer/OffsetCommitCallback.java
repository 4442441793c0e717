package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.Map;

/** Told how a {@link Consumer#commitAsync} ended; runs on the consumer's thread, inside a later poll(), commit or close. */
@FunctionalInterface
public interface OffsetCommitCallback {
    /** @param error null on success */
    void onComplete(Map<TopicPartition, Long> offsets, Exception error);
}
