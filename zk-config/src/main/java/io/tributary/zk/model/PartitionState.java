package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * Data of {@code /brokers/topics/<t>/partitions/<p>/state}. Every write is a compare-and-set on
 * the znode's version (docs/architecture.md, "Election").
 *
 * @param leader      broker id of the leader, {@link #NO_LEADER} when none
 * @param leaderEpoch goes up by one at every change of leader (KIP-101 fencing)
 * @param isr         the in-sync replicas
 */
public record PartitionState(
        @JsonProperty("leader") int leader,
        @JsonProperty("leader_epoch") int leaderEpoch,
        @JsonProperty("isr") List<Integer> isr) implements ZkRecord {

    public static final int NO_LEADER = -1;

    @JsonCreator
    public PartitionState {
        if (leader < NO_LEADER) {
            throw new IllegalArgumentException("leader must be a broker id or -1, got: " + leader);
        }
        if (leaderEpoch < 0) {
            throw new IllegalArgumentException("leader_epoch must be >= 0, got: " + leaderEpoch);
        }
        isr = List.copyOf(Objects.requireNonNull(isr, "isr"));
    }

    /** The state of a new partition: no leader, epoch 0, every replica in sync. */
    public static PartitionState initial(List<Integer> replicas) {
        return new PartitionState(NO_LEADER, 0, replicas);
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }

    /** A change of leader: the epoch goes up by one, the ISR is unchanged. */
    public PartitionState withLeader(int newLeader) {
        return new PartitionState(newLeader, leaderEpoch + 1, isr);
    }

    /** An ISR change by the current leader: same leader and epoch. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(leader, leaderEpoch, newIsr);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public boolean inIsr(int brokerId) {
        return isr.contains(brokerId);
    }
}
