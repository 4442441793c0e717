package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClientApiVersions;
import io.tributary.client.network.RequestFrames;
import io.tributary.client.network.VersionRange;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The group requests at every version the client may negotiate, and how their answers are read. */
class GroupRequestsTest {
    private static final Node COORDINATOR = new Node(2, "127.0.0.1", 9093, null);

    /** Encodes at {@code version} as the client would send it and parses it back as a broker would. */
    private static <T extends ApiMessage> T roundTrip(ApiKeys api, short version, ApiMessage body, Function<ByteBufferAccessor, T> parse) {
        ByteBuffer frame = RequestFrames.encodeRequest(api, version, "tool", 7, body);
        frame.getInt();
        RequestHeader.parse(frame);
        return parse.apply(new ByteBufferAccessor(frame));
    }

    @Test
    void findCoordinatorNamesTheGroupAsEachVersionExpects() {
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.FIND_COORDINATOR);
        for (short v = range.min(); v <= range.max(); v++) {
            short version = v;
            FindCoordinatorRequestData parsed = roundTrip(ApiKeys.FIND_COORDINATOR, v, GroupRequests.findCoordinator(v, "orders-app"),
                    a -> new FindCoordinatorRequestData(a, version));
            if (v >= 4) {
                assertEquals(List.of("orders-app"), parsed.coordinatorKeys(), "v" + v);
            } else {
                assertEquals("orders-app", parsed.key(), "v" + v);
            }
            assertEquals(0, parsed.keyType(), "a group key, v" + v);
        }
    }

    @Test
    void coordinatorIsReadFromEitherResponseShapeAndErrorsNameTheGroup() {
        FindCoordinatorResponseData single = new FindCoordinatorResponseData().setNodeId(3).setHost("h3").setPort(9094);
        assertEquals(new Node(3, "h3", 9094, null), GroupRequests.coordinatorFrom((short) 3, single, "g"));
        FindCoordinatorResponseData batched = new FindCoordinatorResponseData().setCoordinators(List.of(
                new FindCoordinatorResponseData.Coordinator().setKey("g").setNodeId(1).setHost("h1").setPort(9092)));
        assertEquals(new Node(1, "h1", 9092, null), GroupRequests.coordinatorFrom((short) 4, batched, "g"));

        FindCoordinatorResponseData loading = new FindCoordinatorResponseData().setCoordinators(List.of(
                new FindCoordinatorResponseData.Coordinator().setKey("g").setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
        ApiException e = assertThrows(ApiException.class, () -> GroupRequests.coordinatorFrom((short) 4, loading, "g"));
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, e.error());
        assertTrue(e.getMessage().contains("group 'g'"), e.getMessage());
    }

    @Test
    void offsetFetchAsksForAllTopicsOfTheGroupAtEveryVersion() {
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.OFFSET_FETCH);
        for (short v = range.min(); v <= range.max(); v++) {
            short version = v;
            OffsetFetchRequestData parsed = roundTrip(ApiKeys.OFFSET_FETCH, v, GroupRequests.offsetFetch(v, "g"),
                    a -> new OffsetFetchRequestData(a, version));
            if (v >= 8) {
                assertEquals("g", parsed.groups().get(0).groupId(), "v" + v);
                assertNull(parsed.groups().get(0).topics(), "null topics ask for all, v" + v);
            } else {
                assertEquals("g", parsed.groupId(), "v" + v);
                assertNull(parsed.topics(), "null topics ask for all, v" + v);
            }
        }
    }

    @Test
    void committedOffsetsAreReadFromBothResponseShapesSkippingPartitionsWithoutACommit() {
        OffsetFetchResponseData single = new OffsetFetchResponseData().setTopics(List.of(
                new OffsetFetchResponseData.OffsetFetchResponseTopic().setName("t").setPartitions(List.of(
                        new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(0).setCommittedOffset(12),
                        new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(1).setCommittedOffset(-1)))));
        assertEquals(Map.of(new TopicPartition("t", 0), 12L), GroupRequests.committedOffsetsFrom((short) 7, single, "g"));

        OffsetFetchResponseData batched = new OffsetFetchResponseData().setGroups(List.of(
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId("g").setTopics(List.of(
                        new OffsetFetchResponseData.OffsetFetchResponseTopics().setName("t").setPartitions(List.of(
                                new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(2).setCommittedOffset(40)))))));
        assertEquals(Map.of(new TopicPartition("t", 2), 40L), GroupRequests.committedOffsetsFrom((short) 8, batched, "g"));

        OffsetFetchResponseData moved = new OffsetFetchResponseData().setGroups(List.of(
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId("g").setErrorCode(Errors.NOT_COORDINATOR.code())));
        assertEquals(Errors.NOT_COORDINATOR,
                assertThrows(ApiException.class, () -> GroupRequests.committedOffsetsFrom((short) 8, moved, "g")).error());
    }

    @Test
    void offsetCommitIsASimpleConsumerCommitAtEveryVersion() {
        Map<TopicPartition, Long> offsets = Map.of(new TopicPartition("b", 1), 7L, new TopicPartition("a", 0), 0L,
                new TopicPartition("a", 2), 1_000L);
        VersionRange range = ClientApiVersions.rangeOf(ApiKeys.OFFSET_COMMIT);
        for (short v = range.min(); v <= range.max(); v++) {
            short version = v;
            OffsetCommitRequestData parsed = roundTrip(ApiKeys.OFFSET_COMMIT, v, GroupRequests.offsetCommit("g", offsets),
                    a -> new OffsetCommitRequestData(a, version));
            assertEquals("g", parsed.groupId());
            assertEquals(-1, parsed.generationIdOrMemberEpoch(), "no generation, v" + v);
            assertEquals("", parsed.memberId(), "no member, v" + v);
            assertNull(parsed.groupInstanceId());
            assertEquals(List.of("a", "b"), parsed.topics().stream().map(OffsetCommitRequestData.OffsetCommitRequestTopic::name).toList());
            OffsetCommitRequestData.OffsetCommitRequestTopic a = parsed.topics().get(0);
            assertEquals(List.of(0, 2), a.partitions().stream().map(OffsetCommitRequestData.OffsetCommitRequestPartition::partitionIndex).toList());
            assertEquals(List.of(0L, 1_000L), a.partitions().stream().map(OffsetCommitRequestData.OffsetCommitRequestPartition::committedOffset).toList());
            assertEquals(7L, parsed.topics().get(1).partitions().get(0).committedOffset());
        }
    }

    @Test
    void aCommitRefusedForUnknownMemberSaysTheGroupIsNotEmpty() {
        OffsetCommitResponseData refused = commitAnswer(Errors.UNKNOWN_MEMBER_ID);
        ApiException e = assertThrows(ApiException.class, () -> GroupRequests.checkOffsetCommit(refused, "orders-app"));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, e.error());
        assertTrue(e.getMessage().contains("group 'orders-app'") && e.getMessage().contains("not empty"), e.getMessage());

        ApiException unknownTopic = assertThrows(ApiException.class,
                () -> GroupRequests.checkOffsetCommit(commitAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION), "orders-app"));
        assertTrue(unknownTopic.getMessage().contains("t-0: UNKNOWN_TOPIC_OR_PARTITION"), unknownTopic.getMessage());
        GroupRequests.checkOffsetCommit(commitAnswer(Errors.NONE), "orders-app");
    }

    private static OffsetCommitResponseData commitAnswer(Errors error) {
        return new OffsetCommitResponseData().setTopics(List.of(new OffsetCommitResponseData.OffsetCommitResponseTopic().setName("t")
                .setPartitions(List.of(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(0)
                        .setErrorCode(error.code())))));
    }

    @Test
    void describeDecodesEveryConsumerAssignmentVersion() {
        for (short v = ConsumerProtocolAssignment.LOWEST_SUPPORTED_VERSION; v <= ConsumerProtocolAssignment.HIGHEST_SUPPORTED_VERSION; v++) {
            ConsumerProtocolAssignment.TopicPartitionCollection partitions = new ConsumerProtocolAssignment.TopicPartitionCollection();
            partitions.add(new ConsumerProtocolAssignment.TopicPartition().setTopic("orders").setPartitions(List.of(2, 0)));
            partitions.add(new ConsumerProtocolAssignment.TopicPartition().setTopic("audit").setPartitions(List.of(1)));
            byte[] assignment = MessageUtil.toVersionPrefixedBytes(v, new ConsumerProtocolAssignment().setAssignedPartitions(partitions));

            DescribeGroupsResponseData response = new DescribeGroupsResponseData().setGroups(List.of(
                    new DescribeGroupsResponseData.DescribedGroup().setGroupId("g").setGroupState("Stable")
                            .setProtocolType("consumer").setProtocolData("range").setMembers(List.of(
                                    new DescribeGroupsResponseData.DescribedGroupMember().setMemberId("m-1").setClientId("c")
                                            .setClientHost("/10.0.0.1").setGroupInstanceId("i-1").setMemberAssignment(assignment),
                                    new DescribeGroupsResponseData.DescribedGroupMember().setMemberId("m-2").setClientId("c")
                                            .setClientHost("/10.0.0.2").setMemberAssignment(new byte[0])))));
            GroupDescription g = GroupRequests.descriptionFrom(response, "g", COORDINATOR);
            assertEquals("Stable", g.state());
            assertEquals("range", g.protocol());
            assertEquals(COORDINATOR, g.coordinator());
            MemberDescription m = g.members().get(0);
            assertEquals(new MemberDescription("m-1", "i-1", "c", "/10.0.0.1", List.of(new TopicPartition("audit", 1),
                    new TopicPartition("orders", 0), new TopicPartition("orders", 2))), m, "assignment v" + v);
            assertEquals(List.of(), g.members().get(1).assignment(), "a member not yet synced has no assignment");
        }
    }

    @Test
    void describeLeavesOtherProtocolsUndecodedAndReportsGroupErrors() {
        DescribeGroupsResponseData connect = new DescribeGroupsResponseData().setGroups(List.of(
                new DescribeGroupsResponseData.DescribedGroup().setGroupId("g").setGroupState("Stable").setProtocolType("connect")
                        .setMembers(List.of(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId("w")
                                .setClientId("c").setClientHost("/h").setMemberAssignment(new byte[]{1, 2, 3})))));
        assertEquals(List.of(), GroupRequests.descriptionFrom(connect, "g", COORDINATOR).members().get(0).assignment());

        DescribeGroupsResponseData loading = new DescribeGroupsResponseData().setGroups(List.of(
                new DescribeGroupsResponseData.DescribedGroup().setGroupId("g").setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code())));
        assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS,
                assertThrows(ApiException.class, () -> GroupRequests.descriptionFrom(loading, "g", COORDINATOR)).error());

        DescribeGroupsResponseData dead = new DescribeGroupsResponseData().setGroups(List.of(
                new DescribeGroupsResponseData.DescribedGroup().setGroupId("g").setGroupState("Dead").setProtocolType("")));
        GroupDescription unknown = GroupRequests.descriptionFrom(dead, "g", COORDINATOR);
        assertTrue(!unknown.exists() && unknown.isInactive());
    }

    @Test
    void describeDeleteAndListEncodeAtEveryVersion() {
        for (short v = ClientApiVersions.rangeOf(ApiKeys.DESCRIBE_GROUPS).min(); v <= ClientApiVersions.rangeOf(ApiKeys.DESCRIBE_GROUPS).max(); v++) {
            short version = v;
            assertEquals(List.of("g"), roundTrip(ApiKeys.DESCRIBE_GROUPS, v, GroupRequests.describeGroup("g"),
                    a -> new DescribeGroupsRequestData(a, version)).groups());
        }
        for (short v = ClientApiVersions.rangeOf(ApiKeys.DELETE_GROUPS).min(); v <= ClientApiVersions.rangeOf(ApiKeys.DELETE_GROUPS).max(); v++) {
            short version = v;
            assertEquals(List.of("g"), roundTrip(ApiKeys.DELETE_GROUPS, v, GroupRequests.deleteGroup("g"),
                    a -> new DeleteGroupsRequestData(a, version)).groupsNames());
        }
        for (short v = ClientApiVersions.rangeOf(ApiKeys.LIST_GROUPS).min(); v <= ClientApiVersions.rangeOf(ApiKeys.LIST_GROUPS).max(); v++) {
            RequestFrames.encodeRequest(ApiKeys.LIST_GROUPS, v, "tool", 1, GroupRequests.listGroups());
        }
        ListGroupsResponseData listed = new ListGroupsResponseData().setGroups(List.of(
                new ListGroupsResponseData.ListedGroup().setGroupId("a").setProtocolType("consumer").setGroupState("Stable"),
                new ListGroupsResponseData.ListedGroup().setGroupId("b").setProtocolType("connect").setGroupState("Empty")));
        assertEquals(List.of(new GroupListing("a", "Stable", "consumer"), new GroupListing("b", "Empty", "connect")),
                GroupRequests.listingsFrom((short) 4, listed, 1));
        assertEquals("Unknown", GroupRequests.listingsFrom((short) 3, listed, 1).get(0).state(), "no state before v4");
        assertTrue(!GroupRequests.listingsFrom((short) 4, listed, 1).get(1).isConsumerGroup());
    }

    @Test
    void deleteGroupAndOffsetDeleteErrorsNameTheGroup() {
        DeleteGroupsResponseData notEmpty = new DeleteGroupsResponseData();
        notEmpty.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId("g").setErrorCode(Errors.NON_EMPTY_GROUP.code()));
        ApiException e = assertThrows(ApiException.class, () -> GroupRequests.checkDeleteGroup(notEmpty, "g"));
        assertEquals(Errors.NON_EMPTY_GROUP, e.error());
        assertTrue(e.getMessage().contains("group 'g'"), e.getMessage());

        OffsetDeleteRequestData request = roundTrip(ApiKeys.OFFSET_DELETE, (short) 0, GroupRequests.offsetDelete("g",
                List.of(new TopicPartition("t", 1), new TopicPartition("t", 0))), a -> new OffsetDeleteRequestData(a, (short) 0));
        assertEquals(List.of(0, 1), request.topics().find("t").partitions().stream()
                .map(OffsetDeleteRequestData.OffsetDeleteRequestPartition::partitionIndex).toList());

        OffsetDeleteResponseData subscribed = new OffsetDeleteResponseData();
        OffsetDeleteResponseData.OffsetDeleteResponseTopic topic = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName("t");
        topic.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition().setPartitionIndex(0)
                .setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code()));
        subscribed.topics().add(topic);
        ApiException s = assertThrows(ApiException.class, () -> GroupRequests.checkOffsetDelete(subscribed, "g"));
        assertEquals(Errors.GROUP_SUBSCRIBED_TO_TOPIC, s.error());
        assertTrue(s.getMessage().contains("t-0"), s.getMessage());
    }
}
