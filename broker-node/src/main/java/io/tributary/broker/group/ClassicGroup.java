package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * One classic group: its state machine ({@link GroupState}), generation, chosen protocol, leader, members and
 * committed offsets. All access holds the group's monitor ({@code synchronized (group)}); nothing done under it
 * blocks: writes to the offsets topic are only queued, and their completion takes the lock again.
 */
final class ClassicGroup {

    final String groupId;
    private GroupState state = GroupState.EMPTY;
    private long stateTimestamp;
    int generationId;
    /** Null until the first member joins; the type all members must share ("consumer" for consumers). */
    String protocolType;
    String protocolName;
    String leaderId;
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** group.instance.id -> current member id (KIP-345). */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet (KIP-394). */
    final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
    /**
     * Commits written but not yet committed to the offsets partition, counted per partition (Kafka's
     * pendingOffsetCommits): they are not in {@link #offsets} yet, so expiry and deletion must not tombstone
     * around them, or an acknowledged commit would sit behind a tombstone in the log.
     */
    final Map<TopicPartition, Integer> pendingCommits = new HashMap<>();
    /** The running rebalance's deadline (initial delay or rebalance timeout). */
    ScheduledFuture<?> joinTimer;
    /** While the initial delay runs, the join completes only when it fires. */
    boolean initialDelayRunning;
    /** A new member joined during the initial delay, so it is extended once more. */
    boolean newMemberDuringDelay;

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    /** When the group entered its current state (persisted; offsets of an empty group expire from it). */
    long stateTimestamp() {
        return stateTimestamp;
    }

    void transitionTo(GroupState next, long now) {
        if (!next.validPrevious().contains(state)) {
            throw new IllegalStateException("group " + groupId + " cannot go from " + state.kafkaName() + " to " + next.kafkaName());
        }
        state = next;
        stateTimestamp = now;
    }

    /** Restores a state read from the offsets topic, bypassing the transition rules. */
    void restore(GroupState loaded, long timestamp) {
        state = loaded;
        stateTimestamp = timestamp;
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType;
        }
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    GroupMember remove(String memberId) {
        GroupMember removed = members.remove(memberId);
        if (removed == null) {
            return null;
        }
        removed.cancelSessionTimer();
        if (removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId))) {
            staticMembers.remove(removed.groupInstanceId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return removed;
    }

    /** Whether a static member's instance id now belongs to another member id (the caller is fenced). */
    boolean isFenced(String groupInstanceId, String memberId) {
        if (groupInstanceId == null) {
            return false;
        }
        String current = staticMembers.get(groupInstanceId);
        return current != null && !current.equals(memberId);
    }

    /** Whether every member has rejoined and no member id handed out is still to come back. */
    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    int largestRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /** Whether a joining member's protocols are compatible: same type, and one protocol every member supports. */
    boolean supports(String type, Set<String> protocols) {
        if (members.isEmpty()) {
            return type != null && !type.isEmpty() && !protocols.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> common = new HashSet<>(protocols);
        members.values().forEach(m -> common.retainAll(m.protocols.keySet()));
        return !common.isEmpty();
    }

    /** Whether some protocol is supported by every member, so {@link #selectProtocol} has an answer. */
    boolean supportsCommonProtocol() {
        Set<String> common = null;
        for (GroupMember member : members.values()) {
            if (common == null) {
                common = new HashSet<>(member.protocols.keySet());
            } else {
                common.retainAll(member.protocols.keySet());
            }
        }
        return common != null && !common.isEmpty();
    }

    /**
     * The protocol for the next generation: among those every member supports, the one most members name first
     * (each votes for its most preferred candidate); ties go to the leader's preference.
     */
    String selectProtocol() {
        Set<String> candidates = null;
        for (GroupMember member : members.values()) {
            if (candidates == null) {
                candidates = new LinkedHashSet<>(member.protocols.keySet());
            } else {
                candidates.retainAll(member.protocols.keySet());
            }
        }
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalStateException("no protocol is supported by every member of group " + groupId);
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        GroupMember leader = leaderId == null ? null : members.get(leaderId);
        List<String> order = new ArrayList<>(leader != null ? leader.protocols.keySet() : members.values().iterator().next().protocols.keySet());
        order.retainAll(candidates);
        order.forEach(p -> votes.put(p, 0));
        for (GroupMember member : members.values()) {
            for (String preferred : member.protocols.keySet()) {
                if (candidates.contains(preferred)) {
                    votes.merge(preferred, 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int most = -1;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > most) {
                best = entry.getKey();
                most = entry.getValue();
            }
        }
        return best;
    }

    Optional<CommittedOffset> offset(TopicPartition tp) {
        return Optional.ofNullable(offsets.get(tp));
    }

    void commitsPending(List<TopicPartition> partitions) {
        partitions.forEach(tp -> pendingCommits.merge(tp, 1, Integer::sum));
    }

    /** The write of these commits finished (applied or failed). */
    void commitsSettled(List<TopicPartition> partitions) {
        partitions.forEach(tp -> pendingCommits.computeIfPresent(tp, (k, n) -> n == 1 ? null : n - 1));
    }

    /** Applies a commit unless a later one (in log order) is already applied. */
    void applyCommit(TopicPartition tp, CommittedOffset committed) {
        CommittedOffset current = offsets.get(tp);
        if (current == null || current.recordOffset() < committed.recordOffset()) {
            offsets.put(tp, committed);
        }
    }

    /** Applies a tombstone written at {@code tombstoneOffset}, unless a commit written after it is already applied. */
    void applyTombstone(TopicPartition tp, long tombstoneOffset) {
        CommittedOffset current = offsets.get(tp);
        if (current != null && current.recordOffset() < tombstoneOffset) {
            offsets.remove(tp);
        }
    }
}
