package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the group-administration requests for the version a broker negotiated and reads their
 * responses, turning error codes into {@link ApiException}s that name the group. Fields a version lacks
 * are left at their defaults (writing them would throw UnsupportedVersionException).
 */
final class GroupRequests {
    /** Errors after which the group must be looked up again: its coordinator moved, or is still loading it. */
    static final Set<Errors> COORDINATOR_ERRORS =
            Set.of(Errors.NOT_COORDINATOR, Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE);

    /**
     * What an OffsetCommit with generation -1 and no member id gets from a group that has members: the
     * coordinator treats it as a commit from a member it does not know.
     */
    private static final Set<Errors> GROUP_HAS_MEMBERS = Set.of(Errors.UNKNOWN_MEMBER_ID, Errors.ILLEGAL_GENERATION,
            Errors.REBALANCE_IN_PROGRESS, Errors.FENCED_INSTANCE_ID);

    private GroupRequests() {
    }

    // --- FindCoordinator: one key up to v3, a list of keys from v4 (KIP-699) ---

    static FindCoordinatorRequestData findCoordinator(short version, String groupId) {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData();
        if (version >= 1) {
            data.setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id());
        }
        if (version >= 4) {
            data.setCoordinatorKeys(List.of(groupId));
        } else {
            data.setKey(groupId);
        }
        return data;
    }

    static Node coordinatorFrom(short version, FindCoordinatorResponseData response, String groupId) {
        if (version >= 4) {
            for (FindCoordinatorResponseData.Coordinator c : response.coordinators()) {
                if (c.key().equals(groupId)) {
                    throwIfError(Errors.forCode(c.errorCode()), "Cannot find the coordinator of group '" + groupId + "'", c.errorMessage());
                    return new Node(c.nodeId(), c.host(), c.port(), null);
                }
            }
            throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "The FindCoordinator response does not mention group '" + groupId + "'");
        }
        throwIfError(Errors.forCode(response.errorCode()), "Cannot find the coordinator of group '" + groupId + "'", response.errorMessage());
        return new Node(response.nodeId(), response.host(), response.port(), null);
    }

    // --- ListGroups: the state arrives from v4 (KIP-518) ---

    static ListGroupsRequestData listGroups() {
        return new ListGroupsRequestData();
    }

    static List<GroupListing> listingsFrom(short version, ListGroupsResponseData response, int brokerId) {
        throwIfError(Errors.forCode(response.errorCode()), "Cannot list the groups of broker " + brokerId, null);
        List<GroupListing> listings = new ArrayList<>();
        for (ListGroupsResponseData.ListedGroup g : response.groups()) {
            String state = version >= 4 && g.groupState() != null && !g.groupState().isEmpty() ? g.groupState() : "Unknown";
            listings.add(new GroupListing(g.groupId(), state, g.protocolType() == null ? "" : g.protocolType()));
        }
        return listings;
    }

    // --- DescribeGroups ---

    static DescribeGroupsRequestData describeGroup(String groupId) {
        return new DescribeGroupsRequestData().setGroups(List.of(groupId));
    }

    static GroupDescription descriptionFrom(DescribeGroupsResponseData response, String groupId, Node coordinator) {
        for (DescribeGroupsResponseData.DescribedGroup g : response.groups()) {
            if (!g.groupId().equals(groupId)) {
                continue;
            }
            throwIfError(Errors.forCode(g.errorCode()), "Cannot describe group '" + groupId + "'", g.errorMessage());
            boolean consumer = GroupDescription.CONSUMER_PROTOCOL_TYPE.equals(g.protocolType());
            List<MemberDescription> members = new ArrayList<>();
            for (DescribeGroupsResponseData.DescribedGroupMember m : g.members()) {
                List<TopicPartition> assignment = consumer ? decodeAssignment(m.memberAssignment()) : List.of();
                members.add(new MemberDescription(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(), assignment));
            }
            return new GroupDescription(groupId, g.groupState(), g.protocolType() == null ? "" : g.protocolType(),
                    g.protocolData() == null ? "" : g.protocolData(), coordinator, members);
        }
        throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "The DescribeGroups response does not mention group '" + groupId + "'");
    }

    /**
     * Decodes a consumer-protocol assignment: a version, then the body. A version newer than our codec
     * is read as the newest we know, since newer versions only append fields (as Kafka's ConsumerProtocol does).
     */
    static List<TopicPartition> decodeAssignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return List.of(); // joined but not yet synced
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = (short) Math.min(buffer.getShort(), ConsumerProtocolAssignment.HIGHEST_SUPPORTED_VERSION);
        if (version < ConsumerProtocolAssignment.LOWEST_SUPPORTED_VERSION) {
            throw new IllegalArgumentException("Unsupported consumer assignment version " + version);
        }
        ConsumerProtocolAssignment assignment = new ConsumerProtocolAssignment(new ByteBufferAccessor(buffer), version);
        List<TopicPartition> partitions = new ArrayList<>();
        for (ConsumerProtocolAssignment.TopicPartition tp : assignment.assignedPartitions()) {
            tp.partitions().forEach(p -> partitions.add(new TopicPartition(tp.topic(), p)));
        }
        partitions.sort(null);
        return partitions;
    }

    // --- OffsetFetch: one group up to v7, a list of groups from v8 (KIP-709); null topics ask for all ---

    static OffsetFetchRequestData offsetFetch(short version, String groupId) {
        if (version < 2) {
            throw new IllegalArgumentException("OffsetFetch v" + version + " cannot ask for all of a group's offsets");
        }
        if (version >= 8) {
            return new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId).setTopics(null)));
        }
        return new OffsetFetchRequestData().setGroupId(groupId).setTopics(null);
    }

    /** The committed offsets, without partitions whose committed offset is -1 (none). */
    static Map<TopicPartition, Long> committedOffsetsFrom(short version, OffsetFetchResponseData response, String groupId) {
        String what = "Cannot fetch the committed offsets of group '" + groupId + "'";
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        if (version >= 8) {
            for (OffsetFetchResponseData.OffsetFetchResponseGroup g : response.groups()) {
                if (!g.groupId().equals(groupId)) {
                    continue;
                }
                throwIfError(Errors.forCode(g.errorCode()), what, null);
                for (OffsetFetchResponseData.OffsetFetchResponseTopics t : g.topics()) {
                    for (OffsetFetchResponseData.OffsetFetchResponsePartitions p : t.partitions()) {
                        addCommitted(offsets, new TopicPartition(t.name(), p.partitionIndex()), p.errorCode(), p.committedOffset(), what);
                    }
                }
                return offsets;
            }
            throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "The OffsetFetch response does not mention group '" + groupId + "'");
        }
        throwIfError(Errors.forCode(response.errorCode()), what, null);
        for (OffsetFetchResponseData.OffsetFetchResponseTopic t : response.topics()) {
            for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions()) {
                addCommitted(offsets, new TopicPartition(t.name(), p.partitionIndex()), p.errorCode(), p.committedOffset(), what);
            }
        }
        return offsets;
    }

    private static void addCommitted(Map<TopicPartition, Long> offsets, TopicPartition tp, short errorCode, long offset, String what) {
        throwIfError(Errors.forCode(errorCode), what + " (partition " + tp + ")", null);
        if (offset >= 0) {
            offsets.put(tp, offset);
        }
    }

    // --- OffsetCommit as a simple consumer: generation -1 and no member id, which an Empty group accepts ---

    static OffsetCommitRequestData offsetCommit(String groupId, Map<TopicPartition, Long> offsets) {
        Map<String, List<OffsetCommitRequestData.OffsetCommitRequestPartition>> byTopic = new LinkedHashMap<>();
        new TreeMap<>(offsets).forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(tp.partition()).setCommittedOffset(offset).setCommittedMetadata("")));
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name).setPartitions(partitions)));
        return new OffsetCommitRequestData().setGroupId(groupId).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(topics);
    }

    static void checkOffsetCommit(OffsetCommitResponseData response, String groupId) {
        List<String> failures = new ArrayList<>();
        Errors first = Errors.NONE;
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : response.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (COORDINATOR_ERRORS.contains(error)) {
                    throw new ApiException(error, "Cannot commit offsets of group '" + groupId + "' at this broker");
                }
                if (GROUP_HAS_MEMBERS.contains(error)) {
                    throw new ApiException(error, "Cannot change the offsets of group '" + groupId
                            + "': the group is not empty (it has active members); stop its consumers first");
                }
                if (error != Errors.NONE) {
                    failures.add(t.name() + "-" + p.partitionIndex() + ": " + error.name());
                    first = first == Errors.NONE ? error : first;
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new ApiException(first, "Cannot commit offsets of group '" + groupId + "': " + failures);
        }
    }

    // --- DeleteGroups ---

    static DeleteGroupsRequestData deleteGroup(String groupId) {
        return new DeleteGroupsRequestData().setGroupsNames(List.of(groupId));
    }

    static void checkDeleteGroup(DeleteGroupsResponseData response, String groupId) {
        DeleteGroupsResponseData.DeletableGroupResult result = response.results().find(groupId);
        if (result == null) {
            throw new ApiException(Errors.UNKNOWN_SERVER_ERROR, "The DeleteGroups response does not mention group '" + groupId + "'");
        }
        throwIfError(Errors.forCode(result.errorCode()), "Cannot delete group '" + groupId + "'", null);
    }

    // --- OffsetDelete (KIP-496) ---

    static OffsetDeleteRequestData offsetDelete(String groupId, Collection<TopicPartition> partitions) {
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        for (TopicPartition tp : new java.util.TreeSet<>(partitions)) {
            OffsetDeleteRequestData.OffsetDeleteRequestTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(tp.topic());
                topics.add(topic);
            }
            topic.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(tp.partition()));
        }
        return new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics);
    }

    static void checkOffsetDelete(OffsetDeleteResponseData response, String groupId) {
        throwIfError(Errors.forCode(response.errorCode()), "Cannot delete offsets of group '" + groupId + "'", null);
        List<String> failures = new ArrayList<>();
        Errors first = Errors.NONE;
        for (OffsetDeleteResponseData.OffsetDeleteResponseTopic t : response.topics()) {
            for (OffsetDeleteResponseData.OffsetDeleteResponsePartition p : t.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error != Errors.NONE) {
                    failures.add(t.name() + "-" + p.partitionIndex() + ": " + error.name());
                    first = first == Errors.NONE ? error : first;
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new ApiException(first, "Cannot delete offsets of group '" + groupId + "': " + failures);
        }
    }

    private static void throwIfError(Errors error, String what, String brokerMessage) {
        if (error != Errors.NONE) {
            throw new ApiException(error, what + ": " + (brokerMessage != null && !brokerMessage.isEmpty() ? brokerMessage : error.message()));
        }
    }
}
