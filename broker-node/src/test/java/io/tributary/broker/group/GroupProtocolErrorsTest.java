package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.WireClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classic group state machine driven by raw requests on one broker, one error code at a time:
 * MEMBER_ID_REQUIRED, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID,
 * INVALID_SESSION_TIMEOUT and INCONSISTENT_GROUP_PROTOCOL, each in the state where Kafka answers it.
 */
class GroupProtocolErrorsTest {

    private static final short JOIN_VERSION = 7;
    private static final short SYNC_VERSION = 5;
    private static final short HEARTBEAT_VERSION = 4;
    private static final int SESSION_MS = 10_000;

    @TempDir
    Path dataDir;
    private LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(1, 1));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private WireClient client() throws IOException {
        return new WireClient("127.0.0.1", cluster.port(1));
    }

    @SuppressWarnings("unchecked")
    private <T extends AbstractResponse> T send(ApiMessage request, short version) {
        try (WireClient client = client()) {
            return (T) client.send(request, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** FindCoordinator until the offsets topic exists and its partition is led (the first call creates it). */
    private void awaitCoordinator(String group) {
        await("coordinator of " + group).atMost(Duration.ofSeconds(30)).until(() -> {
            FindCoordinatorResponseData response = ((org.apache.kafka.common.requests.FindCoordinatorResponse) send(
                    new FindCoordinatorRequestData().setKey(group), (short) 3)).data();
            return response.errorCode() == Errors.NONE.code() && response.nodeId() == 1;
        });
        // The leader named in ZooKeeper still has to load the partition: a describe succeeds once it has.
        await("groups of " + group + " loaded").atMost(Duration.ofSeconds(30)).until(() -> ((org.apache.kafka.common.requests.DescribeGroupsResponse)
                send(new org.apache.kafka.common.message.DescribeGroupsRequestData().setGroups(List.of(group)), (short) 5))
                .data().groups().get(0).errorCode() == Errors.NONE.code());
    }

    private static JoinGroupRequestData join(String group, String memberId, String instanceId, String protocol, byte[] metadata) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(protocol).setMetadata(metadata));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(SESSION_MS).setProtocolType("consumer").setProtocols(protocols);
    }

    private JoinGroupResponseData sendJoin(JoinGroupRequestData request) {
        return ((org.apache.kafka.common.requests.JoinGroupResponse) send(request, JOIN_VERSION)).data();
    }

    private SyncGroupResponseData sendSync(String group, String memberId, String instanceId, int generation,
                                          List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments) {
        return ((org.apache.kafka.common.requests.SyncGroupResponse) send(new SyncGroupRequestData().setGroupId(group)
                .setMemberId(memberId).setGroupInstanceId(instanceId).setGenerationId(generation)
                .setProtocolType("consumer").setProtocolName("range").setAssignments(assignments), SYNC_VERSION)).data();
    }

    private Errors heartbeat(String group, String memberId, String instanceId, int generation) {
        HeartbeatResponseData response = ((org.apache.kafka.common.requests.HeartbeatResponse) send(new HeartbeatRequestData()
                .setGroupId(group).setMemberId(memberId).setGroupInstanceId(instanceId).setGenerationId(generation),
                HEARTBEAT_VERSION)).data();
        return Errors.forCode(response.errorCode());
    }

    /** A dynamic member that joined with the member id handed out, and is the group's only member and leader. */
    private JoinGroupResponseData joinAlone(String group) {
        JoinGroupResponseData first = sendJoin(join(group, "", null, "range", bytes("m1")));
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
        return sendJoin(join(group, first.memberId(), null, "range", bytes("m1")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SyncGroupRequestData.SyncGroupRequestAssignment> assign(String memberId, String assignment) {
        return List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId).setAssignment(bytes(assignment)));
    }

    @Test
    void aFirstJoinGetsItsMemberIdWithMemberIdRequiredThenJoins() {
        awaitCoordinator("g-required");
        JoinGroupResponseData first = sendJoin(join("g-required", "", null, "range", bytes("m1")));
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
        assertTrue(first.memberId().startsWith("wire-test-"), "member id is client id + uuid: " + first.memberId());

        JoinGroupResponseData joined = sendJoin(join("g-required", first.memberId(), null, "range", bytes("m1")));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(first.memberId(), joined.memberId());
        assertEquals(first.memberId(), joined.leader());
        assertEquals(1, joined.generationId());
        assertEquals("range", joined.protocolName());
        assertEquals("consumer", joined.protocolType());
        assertEquals(1, joined.members().size(), "the leader gets every member's metadata");
        assertArrayEquals(bytes("m1"), joined.members().get(0).metadata());

        SyncGroupResponseData synced = sendSync("g-required", joined.memberId(), null, 1, assign(joined.memberId(), "a1"));
        assertEquals(Errors.NONE.code(), synced.errorCode());
        assertArrayEquals(bytes("a1"), synced.assignment());
        assertEquals(Errors.NONE, heartbeat("g-required", joined.memberId(), null, 1));
    }

    @Test
    void unknownMembersAndStaleGenerationsAreRefused() {
        awaitCoordinator("g-unknown");
        JoinGroupResponseData joined = joinAlone("g-unknown");
        assertEquals(Errors.NONE.code(), sendSync("g-unknown", joined.memberId(), null, 1, assign(joined.memberId(), "a")).errorCode());

        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("g-unknown", "nobody", null, 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), sendSync("g-unknown", "nobody", null, 1, List.of()).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), sendJoin(join("g-unknown", "nobody", null, "range", bytes("x"))).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("no-such-group", "nobody", null, 1));

        assertEquals(Errors.ILLEGAL_GENERATION, heartbeat("g-unknown", joined.memberId(), null, 2));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), sendSync("g-unknown", joined.memberId(), null, 0, List.of()).errorCode());
        OffsetCommitResponseData commit = ((org.apache.kafka.common.requests.OffsetCommitResponse) send(new OffsetCommitRequestData()
                .setGroupId("g-unknown").setMemberId(joined.memberId()).setGenerationIdOrMemberEpoch(7)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(OffsetsTopic.NAME).setPartitions(
                        List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))),
                (short) 8)).data();
        assertEquals(Errors.ILLEGAL_GENERATION.code(), commit.topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.NONE, heartbeat("g-unknown", joined.memberId(), null, 1), "the member itself is still fine");
    }

    @Test
    void aJoiningMemberPutsTheGroupIntoRebalanceAndBothGetTheNextGeneration() throws Exception {
        awaitCoordinator("g-rebalance");
        JoinGroupResponseData a = joinAlone("g-rebalance");
        assertEquals(Errors.NONE.code(), sendSync("g-rebalance", a.memberId(), null, 1, assign(a.memberId(), "all")).errorCode());

        JoinGroupResponseData bId = sendJoin(join("g-rebalance", "", null, "range", bytes("m2")));
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), bId.errorCode());
        // B's join waits until A rejoins: send it on its own connection.
        CompletableFuture<JoinGroupResponseData> bJoin = CompletableFuture.supplyAsync(
                () -> sendJoin(join("g-rebalance", bId.memberId(), null, "range", bytes("m2"))));
        await("A is told to rejoin").atMost(Duration.ofSeconds(10))
                .until(() -> heartbeat("g-rebalance", a.memberId(), null, 1) == Errors.REBALANCE_IN_PROGRESS);
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), sendSync("g-rebalance", a.memberId(), null, 1, List.of()).errorCode());
        assertFalse(bJoin.isDone(), "B waits for A to rejoin");

        JoinGroupResponseData aAgain = sendJoin(join("g-rebalance", a.memberId(), null, "range", bytes("m1")));
        JoinGroupResponseData b = bJoin.get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE.code(), aAgain.errorCode());
        assertEquals(Errors.NONE.code(), b.errorCode());
        assertEquals(2, aAgain.generationId());
        assertEquals(2, b.generationId());
        assertEquals(a.memberId(), aAgain.leader(), "the leader stays leader");
        assertEquals(2, aAgain.members().size());
        assertTrue(b.members().isEmpty(), "only the leader gets the members");

        CompletableFuture<SyncGroupResponseData> bSync = CompletableFuture.supplyAsync(
                () -> sendSync("g-rebalance", b.memberId(), null, 2, List.of()));
        SyncGroupResponseData aSync = sendSync("g-rebalance", a.memberId(), null, 2, List.of(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(a.memberId()).setAssignment(bytes("p0")),
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(b.memberId()).setAssignment(bytes("p1"))));
        assertArrayEquals(bytes("p0"), aSync.assignment());
        assertArrayEquals(bytes("p1"), bSync.get(10, TimeUnit.SECONDS).assignment());
        assertEquals(Errors.NONE, heartbeat("g-rebalance", a.memberId(), null, 2));
        assertEquals(Errors.ILLEGAL_GENERATION, heartbeat("g-rebalance", b.memberId(), null, 1));

        LeaveGroupResponseData leave = ((org.apache.kafka.common.requests.LeaveGroupResponse) send(new LeaveGroupRequestData()
                .setGroupId("g-rebalance").setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(b.memberId()),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("stranger"))), (short) 4)).data();
        assertEquals(Errors.NONE.code(), leave.members().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), leave.members().get(1).errorCode());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat("g-rebalance", a.memberId(), null, 2));
    }

    @Test
    void aRestartedStaticMemberTakesOverItsInstanceAndFencesTheOldId() {
        awaitCoordinator("g-static");
        JoinGroupResponseData old = sendJoin(join("g-static", "", "instance-1", "range", bytes("m1")));
        assertEquals(Errors.NONE.code(), old.errorCode(), "static members skip MEMBER_ID_REQUIRED");
        assertTrue(old.memberId().startsWith("instance-1-"));
        assertEquals(Errors.NONE.code(), sendSync("g-static", old.memberId(), "instance-1", 1, assign(old.memberId(), "kept")).errorCode());

        // JoinGroup v9 can tell the restarted leader to keep the assignment (KIP-814): no rebalance.
        JoinGroupResponseData restarted = ((org.apache.kafka.common.requests.JoinGroupResponse) send(
                join("g-static", "", "instance-1", "range", bytes("m1")), (short) 9)).data();
        assertEquals(Errors.NONE.code(), restarted.errorCode());
        assertNotEquals(old.memberId(), restarted.memberId());
        assertEquals(1, restarted.generationId(), "same protocols in a Stable group: no rebalance");
        assertTrue(restarted.skipAssignment(), "the leader is told to keep the assignment");
        assertEquals(restarted.memberId(), restarted.leader());
        SyncGroupResponseData synced = sendSync("g-static", restarted.memberId(), "instance-1", 1, List.of());
        assertArrayEquals(bytes("kept"), synced.assignment(), "the instance keeps its assignment");

        assertEquals(Errors.FENCED_INSTANCE_ID, heartbeat("g-static", old.memberId(), "instance-1", 1));
        assertEquals(Errors.FENCED_INSTANCE_ID.code(), sendJoin(join("g-static", old.memberId(), "instance-1", "range", bytes("m1"))).errorCode());
        assertEquals(Errors.NONE, heartbeat("g-static", restarted.memberId(), "instance-1", 1));
    }

    @Test
    void badSessionTimeoutsAndIncompatibleProtocolsAreRefused() {
        awaitCoordinator("g-protocol");
        JoinGroupRequestData tooShort = join("g-protocol", "", null, "range", bytes("m1")).setSessionTimeoutMs(100);
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), sendJoin(tooShort).errorCode());
        JoinGroupRequestData tooLong = join("g-protocol", "", null, "range", bytes("m1")).setSessionTimeoutMs(1_800_001);
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), sendJoin(tooLong).errorCode());

        JoinGroupResponseData a = joinAlone("g-protocol");
        assertEquals(Errors.NONE.code(), a.errorCode());
        JoinGroupResponseData other = sendJoin(join("g-protocol", "", null, "roundrobin", bytes("m2")));
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), other.errorCode());
        JoinGroupResponseData otherType = sendJoin(join("g-protocol", "", null, "range", bytes("m2")).setProtocolType("connect"));
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), otherType.errorCode());
    }

    @Test
    void clientsCannotProduceIntoTheOffsetsTopic() {
        awaitCoordinator("g-produce");
        var response = ((org.apache.kafka.common.requests.ProduceResponse) send(
                io.tributary.broker.testing.Requests.produce(OffsetsTopic.NAME, 0, (short) 1, "junk"), (short) 9)).data();
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(),
                response.responses().iterator().next().partitionResponses().get(0).errorCode());
    }
}
