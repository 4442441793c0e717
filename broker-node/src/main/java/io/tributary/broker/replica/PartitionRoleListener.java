package io.tributary.broker.replica;

/**
 * Told when a local replica starts or stops leading, for parts of the broker whose state follows partition
 * leadership (the group coordinator loads its groups when it comes to lead an offsets partition).
 *
 * <p>Both calls run on the partition's own threads (its writer or its election lane), holding the partition's
 * role lock so they arrive in the order the changes happened: implementations must only record the change and
 * hand real work to their own executor, never block nor call back into the partition's role changes.
 */
public interface PartitionRoleListener {

    /** This replica now leads at {@code leaderEpoch}; appends are accepted from now on. */
    void becameLeader(Partition partition, int leaderEpoch);

    /** This replica stopped leading (a newer leader, a hand-over, fencing, deletion or shutdown). */
    void resigned(Partition partition);
}
