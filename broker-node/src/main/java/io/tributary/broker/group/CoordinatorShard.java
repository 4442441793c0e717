package io.tributary.broker.group;

import io.tributary.broker.replica.Partition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The groups of one {@code __consumer_offsets} partition while this broker leads it: loading from the log at
 * first, then active until leadership goes. A new term of leadership gets a new shard, so a callback that finds
 * {@link #isCurrent()} false knows its shard was unloaded and must change nothing.
 */
final class CoordinatorShard {

    enum Status { LOADING, ACTIVE, UNLOADED }

    final int partitionIndex;
    final Partition partition;
    final int leaderEpoch;
    final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile Status status = Status.LOADING;

    CoordinatorShard(int partitionIndex, Partition partition, int leaderEpoch) {
        this.partitionIndex = partitionIndex;
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
    }

    Status status() {
        return status;
    }

    void activate() {
        if (status == Status.LOADING) {
            status = Status.ACTIVE;
        }
    }

    void unload() {
        status = Status.UNLOADED;
    }

    boolean isCurrent() {
        return status != Status.UNLOADED;
    }

    @Override
    public String toString() {
        return OffsetsTopic.NAME + "-" + partitionIndex + " (leader epoch " + leaderEpoch + ", " + status + ")";
    }
}
