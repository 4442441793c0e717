package io.tributary.console.timeline;

import java.util.List;

/** The part of a partition's metadata the timeline follows; leader -1 when it has none. */
public record PartitionState(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
