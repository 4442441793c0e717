package io.tributary.coordinator.metadata;

import io.tributary.zk.model.PartitionState;

import java.util.List;

/**
 * One partition as the cluster sees it.
 *
 * @param replicas        assigned replicas, the first is the preferred leader
 * @param state           leader, epoch and ISR; null if the state znode does not exist
 * @param stateZkVersion  the state znode's version (for a CAS), -1 when {@code state} is null
 */
public record PartitionMetadata(int partition, List<Integer> replicas, PartitionState state, int stateZkVersion) {

    public PartitionMetadata {
        replicas = List.copyOf(replicas);
    }

    /** The leader's broker id, or -1 when there is none or no state yet. */
    public int leader() {
        return state == null ? PartitionState.NO_LEADER : state.leader();
    }
}
