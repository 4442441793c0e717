package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, the rebalance they drive
 * through {@link ClassicGroup}'s states, and the member session and rebalance timers.
 *
 * <p>Each group changes under its own monitor only; nothing under it blocks. Parked joins and syncs are futures
 * completed by whichever request or timer completes the rebalance; timers run on the broker's scheduler and only
 * take the group's lock. The assignment is written to {@code __consumer_offsets} before members receive it.
 */
public final class GroupCoordinator implements CoordinatorShards.Listener {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    /** JoinGroup v4+ hands out the member id first and expects the member to join again with it (KIP-394). */
    private static final short FIRST_MEMBER_ID_REQUIRED_VERSION = 4;

    private final int brokerId;
    private final CoordinatorShards shards;
    private final GroupLogAppender appender;
    private final ScheduledExecutorService timers;
    private final GroupSettings settings;

    public GroupCoordinator(int brokerId, CoordinatorShards shards, ScheduledExecutorService timers, GroupSettings settings) {
        this.brokerId = brokerId;
        this.shards = shards;
        this.timers = timers;
        this.settings = settings;
        this.appender = new GroupLogAppender(settings.commitTimeoutMs());
        shards.setListener(this);
    }

    GroupLogAppender appender() {
        return appender;
    }

    // ---- JoinGroup ----

    public CompletableFuture<JoinGroupResponseData> joinGroup(RequestContext context, JoinGroupRequestData request) {
        short version = context.apiVersion();
        try {
            if (request.groupId() == null || request.groupId().isEmpty()) {
                throw new ApiError(Errors.INVALID_GROUP_ID, "the group id must not be empty");
            }
            int sessionTimeout = request.sessionTimeoutMs();
            if (sessionTimeout < settings.minSessionTimeoutMs() || sessionTimeout > settings.maxSessionTimeoutMs()) {
                throw new ApiError(Errors.INVALID_SESSION_TIMEOUT, "session.timeout.ms " + sessionTimeout + " is outside ["
                        + settings.minSessionTimeoutMs() + ", " + settings.maxSessionTimeoutMs() + "]");
            }
            CoordinatorShard shard = shards.shardFor(request.groupId());
            Map<String, byte[]> protocols = new LinkedHashMap<>();
            request.protocols().forEach(p -> protocols.putIfAbsent(p.name(), p.metadata()));
            JoinRequest join = new JoinRequest(request.memberId(), request.groupInstanceId(), context.clientId(),
                    clientHost(context), sessionTimeout, request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : sessionTimeout,
                    request.protocolType(), protocols, version);
            boolean unknownMember = join.memberId.isEmpty();
            for (int attempt = 0; ; attempt++) {
                ClassicGroup group = unknownMember
                        ? shard.groups.computeIfAbsent(request.groupId(), id -> new ClassicGroup(id, System.currentTimeMillis()))
                        : shard.groups.get(request.groupId());
                if (group == null) {
                    throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "group " + request.groupId() + " does not exist here");
                }
                synchronized (group) {
                    if (!shard.isCurrent()) {
                        // Unloaded since shardFor: a group made now would never be unloaded, its join parked for minutes.
                        throw new ApiError(Errors.NOT_COORDINATOR, "broker " + brokerId + " stopped coordinating "
                                + shard + " (group " + request.groupId() + ")");
                    }
                    if (group.is(GroupState.DEAD)) {
                        // Deleted between lookup and lock: a new member starts a fresh group, a known one is unknown now.
                        if (unknownMember && attempt == 0) {
                            shard.groups.remove(request.groupId(), group);
                            continue;
                        }
                        throw new ApiError(unknownMember ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.UNKNOWN_MEMBER_ID,
                                "group " + request.groupId() + " was just removed");
                    }
                    return unknownMember ? joinUnknownMember(shard, group, join) : joinKnownMember(shard, group, join);
                }
            }
        } catch (ApiError e) {
            return CompletableFuture.completedFuture(joinError(e.error(), request.memberId(), version));
        }
    }

    private record JoinRequest(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
                               int rebalanceTimeoutMs, String protocolType, Map<String, byte[]> protocols, short version) {}

    private CompletableFuture<JoinGroupResponseData> joinUnknownMember(CoordinatorShard shard, ClassicGroup group, JoinRequest join) {
        if (!group.supports(join.protocolType, join.protocols.keySet())) {
            throw new ApiError(Errors.INCONSISTENT_GROUP_PROTOCOL, "group " + group.groupId + " uses protocol type "
                    + group.protocolType + " and none of " + join.protocols.keySet() + " is supported by all members");
        }
        if (join.groupInstanceId != null && group.staticMembers.containsKey(join.groupInstanceId)) {
            return replaceStaticMember(shard, group, join);
        }
        if (group.members.size() + group.pendingMembers.size() >= settings.maxGroupSize()) {
            throw new ApiError(Errors.GROUP_MAX_SIZE_REACHED, "group " + group.groupId + " has reached group.max.size="
                    + settings.maxGroupSize());
        }
        String newMemberId = (join.groupInstanceId != null ? join.groupInstanceId : join.clientId) + "-" + UUID.randomUUID();
        if (join.groupInstanceId == null && join.version >= FIRST_MEMBER_ID_REQUIRED_VERSION) {
            // KIP-394: the member must come back with this id; until then it counts as pending, and expires like a session.
            ScheduledFuture<?> expiry = timers.schedule(() -> expirePendingMember(shard, group, newMemberId),
                    join.sessionTimeoutMs, TimeUnit.MILLISECONDS);
            group.pendingMembers.put(newMemberId, expiry);
            return CompletableFuture.completedFuture(joinError(Errors.MEMBER_ID_REQUIRED, newMemberId, join.version));
        }
        return addMemberAndRebalance(shard, group, newMemberId, join);
    }

    private CompletableFuture<JoinGroupResponseData> joinKnownMember(CoordinatorShard shard, ClassicGroup group, JoinRequest join) {
        String memberId = join.memberId;
        if (group.isFenced(join.groupInstanceId, memberId)) {
            throw new ApiError(Errors.FENCED_INSTANCE_ID, "group.instance.id " + join.groupInstanceId + " of group "
                    + group.groupId + " now belongs to another member than " + memberId);
        }
        ScheduledFuture<?> pending = group.pendingMembers.remove(memberId);
        if (pending != null) {
            pending.cancel(false);
            if (!group.supports(join.protocolType, join.protocols.keySet())) {
                throw new ApiError(Errors.INCONSISTENT_GROUP_PROTOCOL, "incompatible protocols for group " + group.groupId);
            }
            return addMemberAndRebalance(shard, group, memberId, join);
        }
        GroupMember member = group.members.get(memberId);
        if (member == null || group.is(GroupState.EMPTY)) {
            throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "member " + memberId + " is not in group " + group.groupId);
        }
        if (!join.protocolType.equals(group.protocolType) || !supportsWithout(group, memberId, join)) {
            throw new ApiError(Errors.INCONSISTENT_GROUP_PROTOCOL, "incompatible protocols for group " + group.groupId);
        }
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                updateMember(member, join, response);
                maybeCompleteJoin(shard, group);
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(join.protocols)) {
                    // The member missed our join answer: give it again, without starting over.
                    resetSession(shard, group, member);
                    response.complete(joinResponse(group, member, join.version, memberId.equals(group.leaderId)));
                } else {
                    updateMember(member, join, response);
                    prepareRebalance(shard, group, "member " + memberId + " changed its protocols");
                }
            }
            case STABLE -> {
                if (memberId.equals(group.leaderId) || !member.sameProtocols(join.protocols)) {
                    // The leader rejoining, or a changed subscription, means the assignment must be computed again.
                    updateMember(member, join, response);
                    prepareRebalance(shard, group, "member " + memberId + " rejoined"
                            + (memberId.equals(group.leaderId) ? " as leader" : " with new protocols"));
                } else {
                    resetSession(shard, group, member);
                    response.complete(joinResponse(group, member, join.version, false));
                }
            }
            default -> throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "member " + memberId + " is not in group " + group.groupId);
        }
        return response;
    }

    /** Whether the group would still have a common protocol with this member's new list. */
    private static boolean supportsWithout(ClassicGroup group, String memberId, JoinRequest join) {
        Set<String> common = new HashSet<>(join.protocols.keySet());
        group.members.values().stream().filter(m -> !m.memberId.equals(memberId)).forEach(m -> common.retainAll(m.protocols.keySet()));
        return !common.isEmpty();
    }

    private CompletableFuture<JoinGroupResponseData> addMemberAndRebalance(CoordinatorShard shard, ClassicGroup group,
                                                                           String memberId, JoinRequest join) {
        GroupMember member = new GroupMember(memberId, join.groupInstanceId, join.clientId, join.clientHost,
                join.rebalanceTimeoutMs, join.sessionTimeoutMs, join.protocolType, join.protocols);
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        member.awaitingJoin = response;
        member.joinVersion = join.version;
        member.isNew = true;
        group.add(member);
        if (group.initialDelayRunning) {
            group.newMemberDuringDelay = true;
        }
        log.info("Broker {}: member {} (client {}{}) joins group {} in state {}", brokerId, memberId, join.clientId,
                join.groupInstanceId == null ? "" : ", instance " + join.groupInstanceId, group.groupId, group.state().kafkaName());
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(shard, group);
        } else {
            prepareRebalance(shard, group, "member " + memberId + " joined");
        }
        return response;
    }

    private void updateMember(GroupMember member, JoinRequest join, CompletableFuture<JoinGroupResponseData> response) {
        member.protocols = new LinkedHashMap<>(join.protocols);
        member.sessionTimeoutMs = join.sessionTimeoutMs;
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        if (member.awaitingJoin != null && member.awaitingJoin != response) {
            member.awaitingJoin.complete(joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId, join.version));
        }
        member.awaitingJoin = response;
        member.joinVersion = join.version;
    }

    /**
     * KIP-345: a static member that joins without a member id (it restarted) takes over its instance's place under a
     * new id; the old id is fenced. A Stable group whose selected protocol stays the same keeps its assignment and
     * skips a rebalance.
     */
    private CompletableFuture<JoinGroupResponseData> replaceStaticMember(CoordinatorShard shard, ClassicGroup group, JoinRequest join) {
        String oldId = group.staticMembers.get(join.groupInstanceId);
        GroupMember old = group.members.get(oldId);
        String newId = join.groupInstanceId + "-" + UUID.randomUUID();
        GroupMember replacement = old.withNewId(newId);
        boolean wasLeader = oldId.equals(group.leaderId);
        fenceOldMember(old, join.version);
        replacement.sessionTimeoutMs = join.sessionTimeoutMs;
        replacement.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        replacement.protocols = new LinkedHashMap<>(join.protocols);
        replaceMember(group, oldId, replacement, wasLeader);
        // As Kafka: only a change of the protocol the group would select rebalances. The metadata bytes of a restarted
        // consumer differ anyway (no owned partitions, no generation), so comparing them would rebalance every restart.
        boolean sameSelectedProtocol = group.protocolName != null && group.supportsCommonProtocol()
                && group.protocolName.equals(group.selectProtocol());
        log.info("Broker {}: static member {} of group {} rejoined; member id {} replaces {}", brokerId,
                join.groupInstanceId, group.groupId, newId, oldId);
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        // A restarted leader may keep the assignment only if it can be told to skip computing one (v9, KIP-814);
        // an older leader would compute a new one that nobody receives, so it rebalances instead.
        if (group.is(GroupState.STABLE) && sameSelectedProtocol && (!wasLeader || join.version >= 9)) {
            int generation = group.generationId;
            GroupRecords.GroupValue snapshot = GroupSnapshots.snapshot(group);
            appender.append(shard, List.of(GroupRecords.groupRecord(group.groupId, snapshot, System.currentTimeMillis())))
                    .whenComplete((offset, failure) -> {
                        synchronized (group) {
                            if (failure != null) {
                                // Not stored: undo, so the stored and served membership stay the same.
                                if (group.hasMember(newId) && group.generationId == generation) {
                                    GroupMember current = group.members.get(newId);
                                    current.cancelSessionTimer();
                                    replaceMember(group, newId, old.withNewId(oldId), wasLeader);
                                    resetSession(shard, group, group.members.get(oldId));
                                }
                                response.complete(joinError(GroupLogAppender.asGroupError(failure).error(), "", join.version));
                                return;
                            }
                            GroupMember current = group.members.get(newId);
                            if (current == null) {
                                response.complete(joinError(Errors.UNKNOWN_MEMBER_ID, newId, join.version));
                                return;
                            }
                            resetSession(shard, group, current);
                            JoinGroupResponseData answer = joinResponse(group, current, join.version, wasLeader);
                            if (wasLeader) {
                                answer.setSkipAssignment(true); // KIP-814: the leader keeps the current assignment
                            }
                            response.complete(answer);
                        }
                    });
            return response;
        }
        replacement.awaitingJoin = response;
        replacement.joinVersion = join.version;
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(shard, group);
        } else {
            prepareRebalance(shard, group, "static member " + join.groupInstanceId + " rejoined with new protocols or during a rebalance");
        }
        return response;
    }

    private void fenceOldMember(GroupMember old, short version) {
        old.cancelSessionTimer();
        if (old.awaitingJoin != null) {
            old.awaitingJoin.complete(joinError(Errors.FENCED_INSTANCE_ID, old.memberId, old.joinVersion));
            old.awaitingJoin = null;
        }
        if (old.awaitingSync != null) {
            old.awaitingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
            old.awaitingSync = null;
        }
    }

    private static void replaceMember(ClassicGroup group, String oldId, GroupMember replacement, boolean leader) {
        // Keep the members' order (it decides the next leader), with the new id in the old one's place.
        Map<String, GroupMember> reordered = new LinkedHashMap<>();
        for (Map.Entry<String, GroupMember> entry : group.members.entrySet()) {
            if (entry.getKey().equals(oldId)) {
                reordered.put(replacement.memberId, replacement);
            } else {
                reordered.put(entry.getKey(), entry.getValue());
            }
        }
        group.members.clear();
        group.members.putAll(reordered);
        if (replacement.isStatic()) {
            group.staticMembers.put(replacement.groupInstanceId, replacement.memberId);
        }
        if (leader) {
            group.leaderId = replacement.memberId;
        }
    }

    // ---- rebalance ----

    private void prepareRebalance(CoordinatorShard shard, ClassicGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            failAwaitingSyncs(group, Errors.REBALANCE_IN_PROGRESS);
        }
        boolean fromEmpty = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, System.currentTimeMillis());
        cancelJoinTimer(group);
        int rebalanceTimeout = Math.max(1, group.largestRebalanceTimeoutMs());
        if (fromEmpty && settings.initialRebalanceDelayMs() > 0) {
            // The first members of an empty group usually start together: wait a little for the others (KIP-134).
            group.initialDelayRunning = true;
            group.newMemberDuringDelay = false;
            int delay = Math.min(settings.initialRebalanceDelayMs(), rebalanceTimeout);
            scheduleInitialDelay(shard, group, delay, Math.max(0, rebalanceTimeout - delay));
        } else {
            int generation = group.generationId;
            group.joinTimer = timers.schedule(() -> rebalanceTimedOut(shard, group, generation), rebalanceTimeout, TimeUnit.MILLISECONDS);
        }
        log.info("Broker {}: group {} prepares a rebalance at generation {}: {}", brokerId, group.groupId, group.generationId, reason);
        maybeCompleteJoin(shard, group);
    }

    private void scheduleInitialDelay(CoordinatorShard shard, ClassicGroup group, int delay, int remaining) {
        int generation = group.generationId;
        group.joinTimer = timers.schedule(() -> {
            synchronized (group) {
                if (!shard.isCurrent() || !group.is(GroupState.PREPARING_REBALANCE) || group.generationId != generation
                        || !group.initialDelayRunning) {
                    return;
                }
                if (group.newMemberDuringDelay && remaining > 0) {
                    group.newMemberDuringDelay = false;
                    int next = Math.min(settings.initialRebalanceDelayMs(), remaining);
                    scheduleInitialDelay(shard, group, next, remaining - next);
                    return;
                }
                group.initialDelayRunning = false;
                completeJoin(shard, group);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void rebalanceTimedOut(CoordinatorShard shard, ClassicGroup group, int generation) {
        synchronized (group) {
            if (shard.isCurrent() && group.is(GroupState.PREPARING_REBALANCE) && group.generationId == generation) {
                log.info("Broker {}: rebalance of group {} timed out; members that did not rejoin are removed", brokerId, group.groupId);
                completeJoin(shard, group);
            }
        }
    }

    private void maybeCompleteJoin(CoordinatorShard shard, ClassicGroup group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialDelayRunning && group.allMembersJoined()) {
            completeJoin(shard, group);
        }
    }

    /** Ends the join phase: drops members that did not rejoin, starts the next generation and answers every join. */
    private void completeJoin(CoordinatorShard shard, ClassicGroup group) {
        cancelJoinTimer(group);
        group.initialDelayRunning = false;
        for (GroupMember member : List.copyOf(group.members.values())) {
            if (member.awaitingJoin == null) {
                log.info("Broker {}: member {} of group {} did not rejoin in time and is removed", brokerId, member.memberId, group.groupId);
                group.remove(member.memberId);
            }
        }
        group.pendingMembers.values().forEach(timer -> timer.cancel(false));
        group.pendingMembers.clear();
        long now = System.currentTimeMillis();
        group.generationId++;
        if (group.members.isEmpty()) {
            group.protocolName = null;
            group.leaderId = null;
            group.transitionTo(GroupState.EMPTY, now);
            log.info("Broker {}: group {} is empty at generation {}", brokerId, group.groupId, group.generationId);
            storeQuietly(shard, group);
            return;
        }
        if (group.leaderId == null || !group.hasMember(group.leaderId)) {
            group.leaderId = group.members.keySet().iterator().next();
        }
        group.protocolName = group.selectProtocol();
        group.transitionTo(GroupState.COMPLETING_REBALANCE, now);
        log.info("Broker {}: group {} starts generation {} with {} member(s), protocol {}, leader {}", brokerId, group.groupId,
                group.generationId, group.members.size(), group.protocolName, group.leaderId);
        for (GroupMember member : group.members.values()) {
            CompletableFuture<JoinGroupResponseData> waiting = member.awaitingJoin;
            member.awaitingJoin = null;
            member.isNew = false;
            member.assignment = new byte[0];
            resetSession(shard, group, member);
            waiting.complete(joinResponse(group, member, member.joinVersion, member.memberId.equals(group.leaderId)));
        }
    }

    private JoinGroupResponseData joinResponse(ClassicGroup group, GroupMember member, short version, boolean withMembers) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setGenerationId(group.generationId)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setMemberId(member.memberId);
        if (version >= 7) {
            response.setProtocolType(group.protocolType);
        }
        if (withMembers) {
            for (GroupMember m : group.members.values()) {
                JoinGroupResponseData.JoinGroupResponseMember entry = new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(m.memberId)
                        .setMetadata(m.metadata(group.protocolName));
                if (version >= 5) {
                    entry.setGroupInstanceId(m.groupInstanceId);
                }
                response.members().add(entry);
            }
        }
        return response;
    }

    static JoinGroupResponseData joinError(Errors error, String memberId, short version) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolName(version >= 7 ? null : "")
                .setLeader("")
                .setMemberId(memberId == null ? "" : memberId);
        return response;
    }

    private void expirePendingMember(CoordinatorShard shard, ClassicGroup group, String memberId) {
        synchronized (group) {
            if (group.pendingMembers.remove(memberId) != null && shard.isCurrent()) {
                log.info("Broker {}: pending member {} of group {} never joined with its member id; forgotten", brokerId, memberId, group.groupId);
                maybeCompleteJoin(shard, group);
            }
        }
    }

    // ---- SyncGroup ----

    public CompletableFuture<SyncGroupResponseData> syncGroup(RequestContext context, SyncGroupRequestData request) {
        short version = context.apiVersion();
        try {
            CoordinatorShard shard = shards.shardFor(request.groupId());
            ClassicGroup group = shard.groups.get(request.groupId());
            if (group == null) {
                throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "group " + request.groupId() + " does not exist here");
            }
            synchronized (group) {
                GroupMember member = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
                if (version >= 5 && ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                        || (request.protocolName() != null && !request.protocolName().equals(group.protocolName)))) {
                    throw new ApiError(Errors.INCONSISTENT_GROUP_PROTOCOL, "SyncGroup names another protocol than group "
                            + group.groupId + " uses");
                }
                switch (group.state()) {
                    case PREPARING_REBALANCE -> throw new ApiError(Errors.REBALANCE_IN_PROGRESS, "group " + group.groupId + " is rebalancing");
                    case STABLE -> {
                        resetSession(shard, group, member);
                        return CompletableFuture.completedFuture(syncResponse(group, member.assignment, version));
                    }
                    case COMPLETING_REBALANCE -> {
                        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
                        if (member.awaitingSync != null) {
                            member.awaitingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
                        }
                        member.awaitingSync = response;
                        member.syncVersion = version;
                        resetSession(shard, group, member);
                        if (member.memberId.equals(group.leaderId)) {
                            storeAssignment(shard, group, request.assignments());
                        }
                        return response;
                    }
                    default -> throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "member " + request.memberId() + " is not in group " + group.groupId);
                }
            }
        } catch (ApiError e) {
            return CompletableFuture.completedFuture(syncError(e.error()));
        }
    }

    /** The leader's assignment: stored first, then handed to every member (Kafka's order, so failover keeps it). */
    private void storeAssignment(CoordinatorShard shard, ClassicGroup group, List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments) {
        Map<String, byte[]> byMember = new LinkedHashMap<>();
        assignments.forEach(a -> byMember.put(a.memberId(), a.assignment()));
        for (GroupMember member : group.members.values()) {
            member.assignment = byMember.getOrDefault(member.memberId, new byte[0]);
        }
        int generation = group.generationId;
        GroupRecords.GroupValue snapshot = GroupSnapshots.snapshot(group);
        appender.append(shard, List.of(GroupRecords.groupRecord(group.groupId, snapshot, System.currentTimeMillis())))
                .whenComplete((offset, failure) -> {
                    synchronized (group) {
                        if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId != generation || !shard.isCurrent()) {
                            return; // a newer rebalance (or an unload) already answered the waiting members
                        }
                        if (failure != null) {
                            Errors error = GroupLogAppender.asGroupError(failure).error();
                            log.warn("Broker {}: could not store the assignment of group {} generation {}: {}", brokerId,
                                    group.groupId, generation, failure.toString());
                            failAwaitingSyncs(group, error);
                            group.members.values().forEach(m -> m.assignment = new byte[0]);
                            prepareRebalance(shard, group, "storing the assignment failed");
                            return;
                        }
                        group.transitionTo(GroupState.STABLE, System.currentTimeMillis());
                        log.info("Broker {}: group {} is stable at generation {}", brokerId, group.groupId, generation);
                        for (GroupMember member : group.members.values()) {
                            if (member.awaitingSync != null) {
                                member.awaitingSync.complete(syncResponse(group, member.assignment, member.syncVersion));
                                member.awaitingSync = null;
                            }
                        }
                    }
                });
    }

    private static SyncGroupResponseData syncResponse(ClassicGroup group, byte[] assignment, short version) {
        SyncGroupResponseData response = new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setAssignment(assignment);
        if (version >= 5) {
            response.setProtocolType(group.protocolType).setProtocolName(group.protocolName);
        }
        return response;
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    private void failAwaitingSyncs(ClassicGroup group, Errors error) {
        for (GroupMember member : group.members.values()) {
            if (member.awaitingSync != null) {
                member.awaitingSync.complete(syncError(error));
                member.awaitingSync = null;
            }
        }
    }

    // ---- Heartbeat ----

    public CompletableFuture<HeartbeatResponseData> heartbeat(RequestContext context, HeartbeatRequestData request) {
        Errors result;
        try {
            CoordinatorShard shard = shards.shardFor(request.groupId());
            ClassicGroup group = shard.groups.get(request.groupId());
            if (group == null) {
                throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "group " + request.groupId() + " does not exist here");
            }
            synchronized (group) {
                GroupMember member = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
                resetSession(shard, group, member);
                result = group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
            }
        } catch (ApiError e) {
            result = e.error();
        }
        return CompletableFuture.completedFuture(new HeartbeatResponseData().setErrorCode(result.code()));
    }

    /** The checks SyncGroup, Heartbeat and OffsetCommit share: a live group, a known, unfenced member, its generation. */
    static GroupMember checkMember(ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        if (group.is(GroupState.DEAD)) {
            throw new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "group " + group.groupId + " was just removed");
        }
        if (group.isFenced(groupInstanceId, memberId)) {
            throw new ApiError(Errors.FENCED_INSTANCE_ID, "group.instance.id " + groupInstanceId + " of group " + group.groupId
                    + " now belongs to another member than " + memberId);
        }
        GroupMember member = group.members.get(memberId);
        if (member == null || group.is(GroupState.EMPTY)) {
            throw new ApiError(Errors.UNKNOWN_MEMBER_ID, "member " + memberId + " is not in group " + group.groupId);
        }
        if (generationId != group.generationId) {
            throw new ApiError(Errors.ILLEGAL_GENERATION, "generation " + generationId + " of member " + memberId
                    + " is not group " + group.groupId + "'s current generation " + group.generationId);
        }
        return member;
    }

    // ---- LeaveGroup ----

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(RequestContext context, LeaveGroupRequestData request) {
        short version = context.apiVersion();
        List<LeaveGroupRequestData.MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        try {
            CoordinatorShard shard = shards.shardFor(request.groupId());
            ClassicGroup group = shard.groups.get(request.groupId());
            List<Errors> results = new ArrayList<>();
            if (group == null) {
                leaving.forEach(m -> results.add(Errors.UNKNOWN_MEMBER_ID));
            } else {
                synchronized (group) {
                    if (group.is(GroupState.DEAD)) {
                        throw new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "group " + group.groupId + " was just removed");
                    }
                    boolean removedAny = false;
                    for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
                        Errors error = removeLeavingMember(group, identity);
                        removedAny |= error == Errors.NONE;
                        results.add(error);
                    }
                    if (removedAny) {
                        membershipChanged(shard, group, "member(s) left");
                    }
                }
            }
            if (version >= 3) {
                for (int i = 0; i < leaving.size(); i++) {
                    response.members().add(new LeaveGroupResponseData.MemberResponse()
                            .setMemberId(leaving.get(i).memberId())
                            .setGroupInstanceId(leaving.get(i).groupInstanceId())
                            .setErrorCode(results.get(i).code()));
                }
            } else {
                response.setErrorCode(results.get(0).code());
            }
        } catch (ApiError e) {
            response.setErrorCode(e.error().code());
            response.members().clear();
        }
        return CompletableFuture.completedFuture(response);
    }

    private Errors removeLeavingMember(ClassicGroup group, LeaveGroupRequestData.MemberIdentity identity) {
        String memberId = identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (instanceId != null) {
            String current = group.staticMembers.get(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (memberId != null && !memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        } else {
            ScheduledFuture<?> pending = group.pendingMembers.remove(memberId);
            if (pending != null) {
                pending.cancel(false);
                return Errors.NONE;
            }
        }
        GroupMember member = group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, member, "left the group");
        return Errors.NONE;
    }

    private void removeMember(ClassicGroup group, GroupMember member, String why) {
        log.info("Broker {}: member {} of group {} {}", brokerId, member.memberId, group.groupId, why);
        if (member.awaitingJoin != null) {
            member.awaitingJoin.complete(joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId, member.joinVersion));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            member.awaitingSync.complete(syncError(Errors.UNKNOWN_MEMBER_ID));
            member.awaitingSync = null;
        }
        group.remove(member.memberId);
    }

    /** After members left or expired: a settled group rebalances, one in the join phase may now be complete. */
    private void membershipChanged(CoordinatorShard shard, ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(shard, group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(shard, group);
            default -> { }
        }
    }

    // ---- sessions ----

    /** Restarts the member's session: called for every heartbeat, join, sync and commit it sends. */
    void resetSession(CoordinatorShard shard, ClassicGroup group, GroupMember member) {
        member.cancelSessionTimer();
        long token = ++member.sessionToken;
        member.sessionTimer = timers.schedule(() -> sessionExpired(shard, group, member.memberId, token),
                member.sessionTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void sessionExpired(CoordinatorShard shard, ClassicGroup group, String memberId, long token) {
        synchronized (group) {
            GroupMember member = group.members.get(memberId);
            if (member == null || member.sessionToken != token || !shard.isCurrent() || group.is(GroupState.DEAD)) {
                return;
            }
            if (member.awaitingJoin != null || member.awaitingSync != null) {
                // Parked in a rebalance: the rebalance timeout, not the session, decides about it.
                resetSession(shard, group, member);
                return;
            }
            removeMember(group, member, "missed its session timeout of " + member.sessionTimeoutMs + " ms");
            membershipChanged(shard, group, "member " + memberId + " expired");
        }
    }

    private static void cancelJoinTimer(ClassicGroup group) {
        if (group.joinTimer != null) {
            group.joinTimer.cancel(false);
            group.joinTimer = null;
        }
    }

    /** Stores the group's metadata without anyone waiting for it (it became empty); a failure is only logged. */
    void storeQuietly(CoordinatorShard shard, ClassicGroup group) {
        List<SimpleRecord> records = List.of(GroupRecords.groupRecord(group.groupId, GroupSnapshots.snapshot(group), System.currentTimeMillis()));
        appender.append(shard, records).whenComplete((offset, failure) -> {
            if (failure != null) {
                log.warn("Broker {}: could not store the metadata of group {}: {}", brokerId, group.groupId, failure.toString());
            }
        });
    }

    // ---- load / unload ----

    @Override
    public void loaded(CoordinatorShard shard) {
        for (ClassicGroup group : shard.groups.values()) {
            synchronized (group) {
                group.members.values().forEach(member -> resetSession(shard, group, member));
            }
        }
    }

    @Override
    public void unloaded(CoordinatorShard shard) {
        for (ClassicGroup group : shard.groups.values()) {
            synchronized (group) {
                cancelJoinTimer(group);
                group.pendingMembers.values().forEach(timer -> timer.cancel(false));
                group.pendingMembers.clear();
                for (GroupMember member : group.members.values()) {
                    member.cancelSessionTimer();
                    if (member.awaitingJoin != null) {
                        member.awaitingJoin.complete(joinError(Errors.NOT_COORDINATOR, member.memberId, member.joinVersion));
                        member.awaitingJoin = null;
                    }
                    if (member.awaitingSync != null) {
                        member.awaitingSync.complete(syncError(Errors.NOT_COORDINATOR));
                        member.awaitingSync = null;
                    }
                }
                group.restore(GroupState.DEAD, System.currentTimeMillis());
            }
        }
    }

    /** The client's address as Kafka shows it ("/127.0.0.1"), from the connection id "local-remote". */
    static String clientHost(RequestContext context) {
        String connection = context.connectionId();
        int dash = connection == null ? -1 : connection.lastIndexOf('-');
        String remote = dash < 0 ? String.valueOf(connection) : connection.substring(dash + 1);
        int colon = remote.lastIndexOf(':');
        String host = colon < 0 ? remote : remote.substring(0, colon);
        return host.startsWith("/") ? host : "/" + host;
    }
}
