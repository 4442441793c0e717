package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.fakebroker.FakeGroupCoordinators;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin group calls against brokers on real sockets that play coordinators: lookups, retries after a
 * coordinator moves or is loading, and errors that must reach the caller at once.
 */
class GroupAdminTest {
    private FakeGroupCoordinators brokers;

    @BeforeEach
    void start() throws Exception {
        brokers = FakeGroupCoordinators.start(2);
    }

    @AfterEach
    void stop() {
        brokers.close();
    }

    private Admin admin(int requestTimeoutMs) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", brokers.bootstrap());
        p.setProperty("request.timeout.ms", String.valueOf(requestTimeoutMs));
        p.setProperty("retry.backoff.ms", "20");
        return new Admin(p);
    }

    private static FindCoordinatorResponseData coordinator(short version, String key, Errors error, int id, int port) {
        if (version >= 4) {
            return new FindCoordinatorResponseData().setCoordinators(List.of(new FindCoordinatorResponseData.Coordinator()
                    .setKey(key).setErrorCode(error.code()).setNodeId(id).setHost("127.0.0.1").setPort(port)));
        }
        return new FindCoordinatorResponseData().setErrorCode(error.code()).setNodeId(id).setHost("127.0.0.1").setPort(port);
    }

    private static String keyOf(short version, FindCoordinatorRequestData request) {
        return version >= 4 ? request.coordinatorKeys().get(0) : request.key();
    }

    @Test
    void describeRediscoversTheCoordinatorAfterNotAvailableAndNotCoordinator() {
        AtomicInteger lookups = new AtomicInteger();
        brokers.onGroupRequest((brokerId, version, request) -> {
            if (request instanceof FindCoordinatorRequestData find) {
                int n = lookups.incrementAndGet();
                // 1st: no coordinator yet; 2nd: broker 1 (which then says it is not); then broker 2.
                if (n == 1) {
                    return coordinator(version, keyOf(version, find), Errors.COORDINATOR_NOT_AVAILABLE, -1, -1);
                }
                int id = n == 2 ? 1 : 2;
                return coordinator(version, keyOf(version, find), Errors.NONE, id, brokers.broker(id).port());
            }
            DescribeGroupsResponseData.DescribedGroup group = new DescribeGroupsResponseData.DescribedGroup().setGroupId("orders-app");
            if (brokerId == 1) {
                return new DescribeGroupsResponseData().setGroups(List.of(group.setErrorCode(Errors.NOT_COORDINATOR.code())));
            }
            ConsumerProtocolAssignment.TopicPartitionCollection partitions = new ConsumerProtocolAssignment.TopicPartitionCollection();
            partitions.add(new ConsumerProtocolAssignment.TopicPartition().setTopic("orders").setPartitions(List.of(0, 1)));
            byte[] assignment = MessageUtil.toVersionPrefixedBytes((short) 3, new ConsumerProtocolAssignment().setAssignedPartitions(partitions));
            return new DescribeGroupsResponseData().setGroups(List.of(group.setGroupState("Stable").setProtocolType("consumer")
                    .setProtocolData("range").setMembers(List.of(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId("m-1").setClientId("app").setClientHost("/127.0.0.1").setMemberAssignment(assignment)))));
        });
        try (Admin admin = admin(10_000)) {
            GroupDescription g = admin.describeGroups(List.of("orders-app")).get("orders-app");
            assertEquals(2, g.coordinator().id(), "the broker that finally answered");
            assertEquals(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)), g.members().get(0).assignment());
        }
        assertEquals(3, lookups.get(), "one lookup per attempt");
        assertEquals(List.of((short) 5), brokers.versions(ApiKeys.DESCRIBE_GROUPS).subList(0, 1));
    }

    @Test
    void listGroupsAsksEveryBrokerAndRetriesOneStillLoading() {
        AtomicInteger broker2Calls = new AtomicInteger();
        brokers.onGroupRequest((brokerId, version, request) -> {
            if (brokerId == 2 && broker2Calls.incrementAndGet() == 1) {
                return new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
            }
            return new ListGroupsResponseData().setGroups(List.of(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(brokerId == 1 ? "zeta" : "alpha").setProtocolType("consumer").setGroupState("Empty")));
        });
        try (Admin admin = admin(10_000)) {
            assertEquals(List.of(new GroupListing("alpha", "Empty", "consumer"), new GroupListing("zeta", "Empty", "consumer")),
                    admin.listGroups());
        }
        assertEquals(2, broker2Calls.get(), "broker 2 was asked again after COORDINATOR_LOAD_IN_PROGRESS");
    }

    @Test
    void olderVersionsAreUsedWhenTheBrokerOffersNoNewer() {
        brokers.advertise(ApiKeys.FIND_COORDINATOR, 0, 3);
        brokers.advertise(ApiKeys.OFFSET_FETCH, 0, 7);
        brokers.onGroupRequest((brokerId, version, request) -> {
            if (request instanceof FindCoordinatorRequestData find) {
                return coordinator(version, keyOf(version, find), Errors.NONE, 1, brokers.broker(1).port());
            }
            return new OffsetFetchResponseData().setTopics(List.of(new OffsetFetchResponseData.OffsetFetchResponseTopic().setName("t")
                    .setPartitions(List.of(new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(0).setCommittedOffset(5)))));
        });
        try (Admin admin = admin(10_000)) {
            assertEquals(Map.of(new TopicPartition("t", 0), 5L), admin.listGroupOffsets("g"));
        }
        assertEquals(List.of((short) 3), brokers.versions(ApiKeys.FIND_COORDINATOR));
        assertEquals(List.of((short) 7), brokers.versions(ApiKeys.OFFSET_FETCH));
    }

    @Test
    void aCommitToAGroupWithMembersFailsAtOnceSayingSo() {
        brokers.onGroupRequest((brokerId, version, request) -> {
            if (request instanceof FindCoordinatorRequestData find) {
                return coordinator(version, keyOf(version, find), Errors.NONE, 1, brokers.broker(1).port());
            }
            return new OffsetCommitResponseData().setTopics(List.of(new OffsetCommitResponseData.OffsetCommitResponseTopic().setName("t")
                    .setPartitions(List.of(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(0)
                            .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code())))));
        });
        try (Admin admin = admin(10_000)) {
            ApiException e = assertThrows(ApiException.class,
                    () -> admin.alterGroupOffsets("busy", Map.of(new TopicPartition("t", 0), 3L)));
            assertTrue(e.getMessage().contains("group 'busy'") && e.getMessage().contains("not empty"), e.getMessage());
        }
        assertEquals(1, brokers.received(ApiKeys.OFFSET_COMMIT), "not retried");
    }

    @Test
    void aCoordinatorThatNeverAppearsTimesOutNamingTheLastError() {
        brokers.onGroupRequest((brokerId, version, request) -> coordinator(version,
                keyOf(version, (FindCoordinatorRequestData) request), Errors.COORDINATOR_NOT_AVAILABLE, -1, -1));
        try (Admin admin = admin(1_000)) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> admin.deleteGroups(List.of("g")));
            assertTrue(e.getMessage().contains("COORDINATOR_NOT_AVAILABLE") && e.getMessage().contains("group 'g'"), e.getMessage());
        }
        assertTrue(brokers.received(ApiKeys.FIND_COORDINATOR) > 1, "looked up again before giving up");
    }

}
