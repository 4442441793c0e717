package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which committed offsets of a group have expired (offsets.retention.minutes, KIP-211): only groups that are
 * Empty lose offsets; for a group that had members the clock starts when it became empty, for a group that never
 * had any (simple consumers, --reset-offsets) at each commit. An empty group left with no offsets is removed as well
 * (also one that never had any: a join that never came back with its member id). Partitions with a commit still
 * being written are skipped, and a group with any is kept.
 */
final class OffsetExpiry {

    /** What to delete: these offsets, and the group itself when {@code removeGroup}. */
    record Expired(List<TopicPartition> offsets, boolean removeGroup) {
        boolean isEmpty() {
            return offsets.isEmpty() && !removeGroup;
        }
    }

    private OffsetExpiry() {
    }

    /** Call holding the group's lock. */
    static Expired select(ClassicGroup group, long now, long retentionMs) {
        if (!group.is(GroupState.EMPTY) || !group.pendingMembers.isEmpty()) {
            return new Expired(List.of(), false);
        }
        boolean managed = group.protocolType != null;
        List<TopicPartition> expired = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : group.offsets.entrySet()) {
            if (group.pendingCommits.containsKey(entry.getKey())) {
                continue; // a newer commit is being written: its tombstone would land after it and erase it
            }
            long since = managed ? group.stateTimestamp() : entry.getValue().commitTimestamp();
            if (now - since >= retentionMs) {
                expired.add(entry.getKey());
            }
        }
        // An empty group with no offsets left has nothing to keep (as in Kafka's cleanup): it goes too.
        return new Expired(expired, expired.size() == group.offsets.size() && group.pendingCommits.isEmpty());
    }
}
