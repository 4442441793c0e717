package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The assigned partitions and, for each, its fetch position or the reset it is waiting for. A
 * partition has either a position or a pending reset (earliest/latest/none) until ListOffsets answers.
 * Used by the consumer's single thread only.
 */
final class SubscriptionState {
    private static final class PartitionState {
        Long position;
        OffsetResetStrategy pendingReset;
        /** A group member's new partition, waiting for its committed offset (OffsetFetch) before anything else. */
        boolean awaitingCommitted;
        long resetNotBeforeMs;
    }

    private final OffsetResetStrategy defaultReset;
    private final Map<TopicPartition, PartitionState> assigned = new LinkedHashMap<>();

    SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    /** Replaces the assignment; partitions kept keep their positions, new ones await auto.offset.reset. */
    void assign(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState s = assigned.get(tp);
            if (s == null) {
                s = new PartitionState();
                s.pendingReset = defaultReset;
            }
            next.put(tp, s);
        }
        assigned.clear();
        assigned.putAll(next);
    }

    /**
     * Replaces the assignment with one the group gave: kept partitions keep their positions (cooperative
     * rebalancing), new ones wait for their committed offsets, and fall back to auto.offset.reset without one.
     */
    void assignFromGroup(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState s = assigned.get(tp);
            if (s == null) {
                s = new PartitionState();
                s.awaitingCommitted = true;
            }
            next.put(tp, s);
        }
        assigned.clear();
        assigned.putAll(next);
    }

    Set<TopicPartition> awaitingCommitted() {
        Set<TopicPartition> result = new TreeSet<>();
        assigned.forEach((tp, s) -> {
            if (s.awaitingCommitted) {
                result.add(tp);
            }
        });
        return result;
    }

    /** The committed offset arrived: start there, or (null: nothing committed) at auto.offset.reset. */
    void completeCommitted(TopicPartition tp, Long committed) {
        PartitionState s = assigned.get(tp);
        if (s == null || !s.awaitingCommitted) {
            return;
        }
        s.awaitingCommitted = false;
        if (committed != null) {
            s.position = committed;
        } else {
            s.pendingReset = defaultReset;
            s.resetNotBeforeMs = 0;
        }
    }

    Set<TopicPartition> assignment() {
        return new TreeSet<>(assigned.keySet());
    }

    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        assigned.keySet().forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    boolean isAssigned(TopicPartition tp) {
        return assigned.containsKey(tp);
    }

    /** The position, or null while a reset is pending. */
    Long position(TopicPartition tp) {
        return state(tp).position;
    }

    void seek(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        s.position = offset;
        s.pendingReset = null;
        s.awaitingCommitted = false;
    }

    void requestReset(TopicPartition tp, OffsetResetStrategy strategy) {
        PartitionState s = state(tp);
        s.position = null;
        s.pendingReset = strategy;
        s.resetNotBeforeMs = 0;
        s.awaitingCommitted = false;
    }

    /** Delays the next reset attempt after a failed ListOffsets. */
    void backoffReset(TopicPartition tp, long notBeforeMs) {
        PartitionState s = assigned.get(tp);
        if (s != null) {
            s.resetNotBeforeMs = notBeforeMs;
        }
    }

    /** Completes a reset, unless a seek or another reset happened while ListOffsets was in flight. */
    void completeReset(TopicPartition tp, OffsetResetStrategy strategy, long offset) {
        PartitionState s = assigned.get(tp);
        if (s != null && s.position == null && s.pendingReset == strategy) {
            s.position = offset;
            s.pendingReset = null;
        }
    }

    /** Partitions waiting for a reset with this strategy whose backoff has passed. */
    Set<TopicPartition> awaitingReset(OffsetResetStrategy strategy, long nowMs) {
        Set<TopicPartition> result = new TreeSet<>();
        assigned.forEach((tp, s) -> {
            if (s.pendingReset == strategy && s.resetNotBeforeMs <= nowMs) {
                result.add(tp);
            }
        });
        return result;
    }

    boolean hasPendingResets() {
        return assigned.values().stream().anyMatch(s -> s.pendingReset != null);
    }

    /** Partitions with a position: the ones that can be fetched. */
    Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> result = new LinkedHashMap<>();
        assigned.forEach((tp, s) -> {
            if (s.position != null) {
                result.put(tp, s.position);
            }
        });
        return result;
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState s = assigned.get(tp);
        if (s == null) {
            throw new IllegalStateException("Partition " + tp + " is not assigned to this consumer; assigned: " + assignment());
        }
        return s;
    }
}
