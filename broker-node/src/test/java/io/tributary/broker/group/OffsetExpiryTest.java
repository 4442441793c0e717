package io.tributary.broker.group;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which offsets expire (offsets.retention.minutes): only of empty groups, counted from when they became empty. */
class OffsetExpiryTest {

    private static final long RETENTION = 60_000;
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

    private static CommittedOffset committedAt(long time, long recordOffset) {
        return new CommittedOffset(5, -1, "", time, recordOffset);
    }

    @Test
    void aSimpleConsumerGroupLosesEachOffsetRetentionAfterItsCommit() {
        ClassicGroup group = new ClassicGroup("simple", 0);
        group.offsets.put(A, committedAt(1_000, 1));
        group.offsets.put(B, committedAt(50_000, 2));
        OffsetExpiry.Expired early = OffsetExpiry.select(group, 30_000, RETENTION);
        assertTrue(early.isEmpty());
        OffsetExpiry.Expired one = OffsetExpiry.select(group, 61_000, RETENTION);
        assertEquals(List.of(A), one.offsets());
        assertFalse(one.removeGroup(), "B is still fresh");
        group.offsets.remove(A);
        OffsetExpiry.Expired all = OffsetExpiry.select(group, 110_000, RETENTION);
        assertEquals(List.of(B), all.offsets());
        assertTrue(all.removeGroup(), "nothing is left of a group that never had members");
    }

    @Test
    void aConsumerGroupsOffsetsExpireOnlyOnceItHasBeenEmptyForTheRetention() {
        ClassicGroup group = new ClassicGroup("managed", 0);
        group.protocolType = "consumer";
        group.offsets.put(A, committedAt(1_000, 1));
        group.restore(GroupState.STABLE, 0);
        assertTrue(OffsetExpiry.select(group, 10 * RETENTION, RETENTION).isEmpty(), "a group with members keeps its offsets");

        group.restore(GroupState.EMPTY, 500_000);
        assertTrue(OffsetExpiry.select(group, 500_000 + RETENTION - 1, RETENTION).isEmpty(),
                "the clock starts when the group became empty, not at the old commit");
        OffsetExpiry.Expired expired = OffsetExpiry.select(group, 500_000 + RETENTION, RETENTION);
        assertEquals(List.of(A), expired.offsets());
        assertTrue(expired.removeGroup());
    }

    @Test
    void anEmptyGroupWithoutOffsetsIsRemovedButNotOneWithAPendingMember() {
        ClassicGroup group = new ClassicGroup("abandoned", 0);
        group.pendingMembers.put("m-1", null);
        assertTrue(OffsetExpiry.select(group, 1, RETENTION).isEmpty(), "a member id was handed out and may come back");
        group.pendingMembers.clear();
        OffsetExpiry.Expired expired = OffsetExpiry.select(group, 1, RETENTION);
        assertTrue(expired.offsets().isEmpty());
        assertTrue(expired.removeGroup());
    }

    @Test
    void aTombstoneDoesNotRemoveACommitWrittenAfterIt() {
        ClassicGroup group = new ClassicGroup("race", 0);
        group.offsets.put(A, committedAt(1_000, 40));
        group.applyTombstone(A, 30);
        assertEquals(Map.of(A, committedAt(1_000, 40)), group.offsets);
        group.applyTombstone(A, 41);
        assertTrue(group.offsets.isEmpty());
    }

    @Test
    void aPartitionWithACommitInFlightDoesNotExpireAndKeepsItsGroup() {
        ClassicGroup group = new ClassicGroup("busy", 0);
        group.offsets.put(A, committedAt(1_000, 1));
        group.offsets.put(B, committedAt(1_000, 2));
        group.commitsPending(List.of(B));
        OffsetExpiry.Expired expired = OffsetExpiry.select(group, 10 * RETENTION, RETENTION);
        assertEquals(List.of(A), expired.offsets(), "B's tombstone would land after the commit being written");
        assertFalse(expired.removeGroup());

        group.offsets.remove(A);
        group.offsets.remove(B);
        assertTrue(OffsetExpiry.select(group, 10 * RETENTION, RETENTION).isEmpty(),
                "a group whose only commit is in flight is kept");
        group.commitsSettled(List.of(B));
        assertTrue(group.pendingCommits.isEmpty());
        assertTrue(OffsetExpiry.select(group, 10 * RETENTION, RETENTION).removeGroup());
    }
}
