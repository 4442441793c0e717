package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the admin tools ask the coordinator: ListGroups, DescribeGroups and DeleteGroups. */
public final class GroupAdmin {

    private static final Logger log = LoggerFactory.getLogger(GroupAdmin.class);
    /** All classic groups report this type (ListGroups v5, KIP-848). */
    private static final String CLASSIC = "classic";
    /** DescribeGroups v6 reports an unknown group as GROUP_ID_NOT_FOUND instead of a Dead group (KIP-1043). */
    private static final short FIRST_DESCRIBE_NOT_FOUND_VERSION = 6;
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final int brokerId;
    private final CoordinatorShards shards;
    private final GroupCoordinator coordinator;

    public GroupAdmin(int brokerId, CoordinatorShards shards, GroupCoordinator coordinator) {
        this.brokerId = brokerId;
        this.shards = shards;
        this.coordinator = coordinator;
    }

    // ---- ListGroups ----

    public CompletableFuture<ListGroupsResponseData> listGroups(RequestContext context, ListGroupsRequestData request) {
        short version = context.apiVersion();
        Set<String> states = version >= 4 && request.statesFilter() != null
                ? request.statesFilter().stream().map(String::toLowerCase).collect(Collectors.toSet()) : Set.of();
        Set<String> types = version >= 5 && request.typesFilter() != null
                ? request.typesFilter().stream().map(String::toLowerCase).collect(Collectors.toSet()) : Set.of();
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (CoordinatorShard shard : shards.all()) {
            if (shard.status() == CoordinatorShard.Status.LOADING) {
                response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
                continue;
            }
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    if (group.is(GroupState.DEAD)) {
                        continue;
                    }
                    String state = group.state().kafkaName();
                    if (!states.isEmpty() && !states.contains(state.toLowerCase())) {
                        continue;
                    }
                    if (!types.isEmpty() && !types.contains(CLASSIC)) {
                        continue;
                    }
                    ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                            .setGroupId(group.groupId)
                            .setProtocolType(group.protocolType == null ? "" : group.protocolType);
                    if (version >= 4) {
                        listed.setGroupState(state);
                    }
                    if (version >= 5) {
                        listed.setGroupType(CLASSIC);
                    }
                    response.groups().add(listed);
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    // ---- DescribeGroups ----

    public CompletableFuture<DescribeGroupsResponseData> describeGroups(RequestContext context, DescribeGroupsRequestData request) {
        short version = context.apiVersion();
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : request.groups()) {
            DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setProtocolType("")
                    .setProtocolData("")
                    .setGroupState(GroupState.DEAD.kafkaName());
            if (version >= 3) {
                described.setAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            }
            try {
                CoordinatorShard shard = shards.shardFor(groupId);
                Optional<ClassicGroup> found = Optional.ofNullable(shard.groups.get(groupId));
                if (found.isEmpty()) {
                    if (version >= FIRST_DESCRIBE_NOT_FOUND_VERSION) {
                        described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("group " + groupId + " does not exist");
                    }
                } else {
                    describe(found.get(), described, version);
                }
            } catch (ApiError e) {
                described.setErrorCode(e.error().code());
                if (version >= 6) {
                    described.setErrorMessage(e.getMessage());
                }
            }
            response.groups().add(described);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static void describe(ClassicGroup group, DescribeGroupsResponseData.DescribedGroup described, short version) {
        synchronized (group) {
            described.setGroupState(group.state().kafkaName())
                    .setProtocolType(group.protocolType == null ? "" : group.protocolType)
                    .setProtocolData(group.is(GroupState.STABLE) && group.protocolName != null ? group.protocolName : "");
            for (GroupMember member : group.members.values()) {
                // Kafka shows metadata and assignment only while the group is Stable; members are listed in every state.
                boolean stable = group.is(GroupState.STABLE) && group.protocolName != null;
                DescribeGroupsResponseData.DescribedGroupMember m = new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(member.memberId)
                        .setClientId(member.clientId)
                        .setClientHost(member.clientHost)
                        .setMemberMetadata(stable ? member.protocols.getOrDefault(group.protocolName, new byte[0]) : new byte[0])
                        .setMemberAssignment(stable ? member.assignment : new byte[0]);
                if (version >= 4) {
                    m.setGroupInstanceId(member.groupInstanceId);
                }
                described.members().add(m);
            }
        }
    }

    // ---- DeleteGroups ----

    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(RequestContext context, DeleteGroupsRequestData request) {
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (String groupId : request.groupsNames()) {
            DeleteGroupsResponseData.DeletableGroupResult result = new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId);
            response.results().add(result);
            pending.add(deleteGroup(groupId).handle((done, failure) -> {
                result.setErrorCode(failure == null ? Errors.NONE.code() : ApiError.from(failure).error().code());
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    /** Writes the tombstones of an empty group (metadata and every offset), then forgets it. */
    private CompletableFuture<Void> deleteGroup(String groupId) {
        try {
            CoordinatorShard shard = shards.shardFor(groupId);
            ClassicGroup group = shard.groups.get(groupId);
            if (group == null) {
                throw new ApiError(Errors.GROUP_ID_NOT_FOUND, "group " + groupId + " does not exist");
            }
            CompletableFuture<Long> appended;
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    throw new ApiError(Errors.GROUP_ID_NOT_FOUND, "group " + groupId + " does not exist");
                }
                if (!group.is(GroupState.EMPTY)) {
                    throw new ApiError(Errors.NON_EMPTY_GROUP, "group " + groupId + " has members (state " + group.state().kafkaName() + ")");
                }
                if (!group.pendingCommits.isEmpty()) {
                    // Its tombstones would follow a commit about to be acknowledged: the group is still in use.
                    throw new ApiError(Errors.NON_EMPTY_GROUP, "group " + groupId + " has offset commits being written for "
                            + group.pendingCommits.keySet());
                }
                long now = System.currentTimeMillis();
                List<SimpleRecord> tombstones = new ArrayList<>();
                group.offsets.keySet().forEach(tp -> tombstones.add(GroupRecords.offsetRecord(groupId, tp, null, now)));
                tombstones.add(GroupRecords.groupRecord(groupId, null, now));
                // Dead from now on: a join or commit meanwhile starts a new group rather than reviving this one.
                group.restore(GroupState.DEAD, now);
                shard.groups.remove(groupId, group);
                appended = coordinator.appender().append(shard, tombstones);
            }
            return appended.thenAccept(offset -> log.info("Broker {}: deleted group {}", brokerId, groupId))
                    .exceptionallyCompose(failure -> {
                        // Not deleted after all: put it back unless a new group took its place meanwhile.
                        synchronized (group) {
                            group.restore(GroupState.EMPTY, group.stateTimestamp());
                        }
                        shard.groups.putIfAbsent(groupId, group);
                        return CompletableFuture.failedFuture(GroupLogAppender.asGroupError(failure));
                    });
        } catch (ApiError e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
