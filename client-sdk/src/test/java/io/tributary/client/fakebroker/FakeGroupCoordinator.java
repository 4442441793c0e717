package io.tributary.client.fakebroker;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The group side of a {@link FakeCluster}, for client tests of the group protocol: one coordinator broker (a test
 * can move it), groups of one member (enough to drive a consumer through join, sync, heartbeats, commits and
 * leave), committed offsets kept in memory, and scripted error answers for JoinGroup, OffsetCommit and OffsetFetch.
 * Every group request is recorded with the broker that got it.
 */
public final class FakeGroupCoordinator {
    /** A group request as it arrived. */
    public record GroupRequest(int brokerId, ApiKeys api, String memberId, int generation, String groupInstanceId) {
    }

    private volatile int coordinatorId = 1;
    private volatile int moveAfterLookup = -1;
    private final java.util.function.IntUnaryOperator portOf;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger nextMember = new AtomicInteger(1);
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private final Queue<Errors> joinScript = new ConcurrentLinkedQueue<>();
    private final Queue<Errors> commitScript = new ConcurrentLinkedQueue<>();
    private final Queue<Errors> offsetFetchScript = new ConcurrentLinkedQueue<>();
    private final List<GroupRequest> requests = new ArrayList<>();
    private volatile byte[] lastAssignment = new byte[0];

    FakeGroupCoordinator(java.util.function.IntUnaryOperator portOf) {
        this.portOf = portOf;
    }

    /** Which broker FindCoordinator names from now on. */
    public void moveCoordinatorTo(int brokerId) {
        coordinatorId = brokerId;
    }

    /** FindCoordinator names the current coordinator once more, then coordination moves to {@code brokerId}. */
    public void moveCoordinatorAfterNextLookup(int brokerId) {
        moveAfterLookup = brokerId;
    }

    public void commit(TopicPartition tp, long offset) {
        committed.put(tp, offset);
    }

    public Map<TopicPartition, Long> committed() {
        return Map.copyOf(committed);
    }

    public void scriptJoinGroup(Errors... answers) {
        joinScript.addAll(List.of(answers));
    }

    public void scriptOffsetCommit(Errors... answers) {
        commitScript.addAll(List.of(answers));
    }

    public void scriptOffsetFetch(Errors... answers) {
        offsetFetchScript.addAll(List.of(answers));
    }

    public synchronized List<GroupRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<GroupRequest> requests(ApiKeys api) {
        return requests.stream().filter(r -> r.api() == api).toList();
    }

    int currentGeneration() {
        return generation.get();
    }

    ApiMessage handle(int brokerId, RequestHeader header, ApiMessage request) {
        return switch (header.apiKey()) {
            case FIND_COORDINATOR -> findCoordinator(brokerId, header.apiVersion(), (FindCoordinatorRequestData) request);
            case JOIN_GROUP -> join(brokerId, header.apiVersion(), (JoinGroupRequestData) request);
            case SYNC_GROUP -> sync(brokerId, (SyncGroupRequestData) request);
            case HEARTBEAT -> {
                record(brokerId, ApiKeys.HEARTBEAT, "", -1, null);
                yield new HeartbeatResponseData().setErrorCode(notCoordinator(brokerId).code());
            }
            case LEAVE_GROUP -> leave(brokerId, (LeaveGroupRequestData) request);
            case OFFSET_COMMIT -> offsetCommit(brokerId, (OffsetCommitRequestData) request);
            case OFFSET_FETCH -> offsetFetch(brokerId, header.apiVersion(), (OffsetFetchRequestData) request);
            default -> throw new IllegalStateException("not a group API: " + header.apiKey());
        };
    }

    private Errors notCoordinator(int brokerId) {
        return brokerId == coordinatorId ? Errors.NONE : Errors.NOT_COORDINATOR;
    }

    private synchronized void record(int brokerId, ApiKeys api, String memberId, int generation, String instanceId) {
        requests.add(new GroupRequest(brokerId, api, memberId, generation, instanceId));
    }

    private FindCoordinatorResponseData findCoordinator(int brokerId, short version, FindCoordinatorRequestData request) {
        record(brokerId, ApiKeys.FIND_COORDINATOR, "", -1, null);
        int id = coordinatorId;
        int port = portOf.applyAsInt(id);
        if (moveAfterLookup >= 0) {
            coordinatorId = moveAfterLookup;
            moveAfterLookup = -1;
        }
        if (version >= 4) {
            return new FindCoordinatorResponseData().setCoordinators(List.of(new FindCoordinatorResponseData.Coordinator()
                    .setKey(request.coordinatorKeys().get(0)).setNodeId(id).setHost("127.0.0.1").setPort(port)));
        }
        return new FindCoordinatorResponseData().setNodeId(id).setHost("127.0.0.1").setPort(port);
    }

    private JoinGroupResponseData join(int brokerId, short version, JoinGroupRequestData request) {
        record(brokerId, ApiKeys.JOIN_GROUP, request.memberId(), -1, request.groupInstanceId());
        JoinGroupResponseData response = new JoinGroupResponseData().setProtocolName(null);
        Errors refused = notCoordinator(brokerId);
        if (refused != Errors.NONE) {
            return response.setErrorCode(refused.code());
        }
        Errors scripted = joinScript.poll();
        if (scripted != null && scripted != Errors.NONE) {
            return response.setErrorCode(scripted.code());
        }
        String memberId = request.memberId();
        if (memberId.isEmpty() && request.groupInstanceId() == null && version >= 4) {
            return response.setErrorCode(Errors.MEMBER_ID_REQUIRED.code()).setMemberId("member-" + nextMember.getAndIncrement());
        }
        if (memberId.isEmpty()) {
            memberId = "member-" + nextMember.getAndIncrement();
        }
        JoinGroupRequestData.JoinGroupRequestProtocol first = request.protocols().iterator().next();
        return response.setGenerationId(generation.incrementAndGet()).setProtocolType("consumer").setProtocolName(first.name())
                .setLeader(memberId).setMemberId(memberId).setMembers(List.of(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(memberId).setGroupInstanceId(request.groupInstanceId()).setMetadata(first.metadata())));
    }

    private SyncGroupResponseData sync(int brokerId, SyncGroupRequestData request) {
        record(brokerId, ApiKeys.SYNC_GROUP, request.memberId(), request.generationId(), request.groupInstanceId());
        Errors refused = notCoordinator(brokerId);
        if (refused != Errors.NONE) {
            return new SyncGroupResponseData().setErrorCode(refused.code());
        }
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : request.assignments()) {
            if (a.memberId().equals(request.memberId())) {
                lastAssignment = a.assignment();
            }
        }
        return new SyncGroupResponseData().setProtocolType("consumer").setAssignment(lastAssignment);
    }

    private LeaveGroupResponseData leave(int brokerId, LeaveGroupRequestData request) {
        String memberId = request.members().isEmpty() ? request.memberId() : request.members().get(0).memberId();
        record(brokerId, ApiKeys.LEAVE_GROUP, memberId, -1, null);
        return new LeaveGroupResponseData().setErrorCode(notCoordinator(brokerId).code());
    }

    private OffsetCommitResponseData offsetCommit(int brokerId, OffsetCommitRequestData request) {
        record(brokerId, ApiKeys.OFFSET_COMMIT, request.memberId(), request.generationIdOrMemberEpoch(), request.groupInstanceId());
        Errors error = notCoordinator(brokerId);
        if (error == Errors.NONE) {
            Errors scripted = commitScript.poll();
            error = scripted == null ? Errors.NONE : scripted;
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic rt = new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(t.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                if (error == Errors.NONE) {
                    committed.put(new TopicPartition(t.name(), p.partitionIndex()), p.committedOffset());
                }
                rt.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
            response.topics().add(rt);
        }
        return response;
    }

    private OffsetFetchResponseData offsetFetch(int brokerId, short version, OffsetFetchRequestData request) {
        record(brokerId, ApiKeys.OFFSET_FETCH, "", -1, null);
        Errors error = notCoordinator(brokerId);
        if (error == Errors.NONE) {
            Errors scripted = offsetFetchScript.poll();
            error = scripted == null ? Errors.NONE : scripted;
        }
        if (version < 8) {
            OffsetFetchResponseData response = new OffsetFetchResponseData().setErrorCode(error.code());
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic rt = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
                for (int p : t.partitionIndexes()) {
                    rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(p)
                            .setCommittedOffset(committed.getOrDefault(new TopicPartition(t.name(), p), -1L)).setMetadata(""));
                }
                response.topics().add(rt);
            }
            return response;
        }
        OffsetFetchRequestData.OffsetFetchRequestGroup group = request.groups().get(0);
        OffsetFetchResponseData.OffsetFetchResponseGroup rg = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(group.groupId()).setErrorCode(error.code());
        for (OffsetFetchRequestData.OffsetFetchRequestTopics t : group.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopics rt = new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(t.name());
            for (int p : t.partitionIndexes()) {
                rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(p)
                        .setCommittedOffset(committed.getOrDefault(new TopicPartition(t.name(), p), -1L)).setMetadata(""));
            }
            rg.topics().add(rt);
        }
        return new OffsetFetchResponseData().setGroups(List.of(rg));
    }
}
