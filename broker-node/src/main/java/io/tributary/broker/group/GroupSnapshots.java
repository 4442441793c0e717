package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts a group to the metadata record stored after a rebalance, and back when a shard is loaded. */
final class GroupSnapshots {

    private GroupSnapshots() {
    }

    /** The group as stored: generation, protocol, leader and, unless empty, every member with its assignment. */
    static GroupRecords.GroupValue snapshot(ClassicGroup group) {
        List<GroupRecords.MemberValue> members = new ArrayList<>();
        if (!group.is(GroupState.EMPTY) && !group.is(GroupState.DEAD)) {
            for (GroupMember member : group.members.values()) {
                byte[] subscription = group.protocolName == null ? new byte[0] : member.metadata(group.protocolName);
                members.add(new GroupRecords.MemberValue(member.memberId, member.groupInstanceId, member.clientId,
                        member.clientHost, member.rebalanceTimeoutMs, member.sessionTimeoutMs, subscription, member.assignment));
            }
        }
        return new GroupRecords.GroupValue(group.protocolType == null ? "" : group.protocolType, group.generationId,
                group.protocolName, group.leaderId, group.stateTimestamp(), members);
    }

    /**
     * A group as loaded: Stable with its members when it had any (their sessions start now, so members that
     * are gone expire and the group rebalances), Empty otherwise.
     */
    static ClassicGroup restore(String groupId, GroupRecords.GroupValue value, long now) {
        ClassicGroup group = new ClassicGroup(groupId, now);
        group.protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
        group.generationId = value.generation();
        group.protocolName = value.protocol();
        for (GroupRecords.MemberValue stored : value.members()) {
            Map<String, byte[]> protocols = new LinkedHashMap<>();
            if (value.protocol() != null) {
                protocols.put(value.protocol(), stored.subscription());
            }
            GroupMember member = new GroupMember(stored.memberId(), stored.groupInstanceId(), stored.clientId(),
                    stored.clientHost(), stored.rebalanceTimeoutMs(), stored.sessionTimeoutMs(), group.protocolType, protocols);
            member.assignment = stored.assignment();
            group.add(member);
        }
        group.leaderId = value.leader() != null && group.hasMember(value.leader()) ? value.leader() : group.leaderId;
        long stateTimestamp = value.currentStateTimestamp() > 0 ? value.currentStateTimestamp() : now;
        group.restore(group.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE, stateTimestamp);
        return group;
    }
}
