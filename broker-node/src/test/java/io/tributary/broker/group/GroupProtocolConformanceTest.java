package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every group API at every advertised version against a real broker, each answer parsed back with the official
 * codec: one group taken through join, sync, heartbeat, commit, fetch, describe, list, leave, offset delete and
 * delete, at each version in turn. Catches fields set at versions that lack them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupProtocolConformanceTest {

    private static final String GROUP = "conformance";
    private static final String TOPIC = "conformance-topic";

    @TempDir
    static Path dataDir;
    private LocalCluster cluster;
    private WireClient client;
    private ApiVersionsResponseData advertised;

    @BeforeAll
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(3, 1));
        client = new WireClient("127.0.0.1", cluster.port(1));
        advertised = ((ApiVersionsResponse) client.send(new ApiVersionsRequestData(), (short) 0)).data();
        client.send(Requests.createTopic(TOPIC, 1, 1), (short) 7);
        cluster.awaitLeader(TOPIC, 0);
        await("coordinator").atMost(Duration.ofSeconds(30)).until(() -> ((FindCoordinatorResponse) client.send(
                new FindCoordinatorRequestData().setKey(GROUP), (short) 3)).data().errorCode() == Errors.NONE.code());
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        cluster.close();
    }

    private List<Short> versions(ApiKeys api) {
        ApiVersionsResponseData.ApiVersion range = advertised.apiKeys().find(api.id);
        List<Short> versions = new ArrayList<>();
        for (short v = range.minVersion(); v <= range.maxVersion(); v++) {
            versions.add(v);
        }
        return versions;
    }

    private static JoinGroupRequestData join(String group, String memberId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata("m".getBytes(StandardCharsets.UTF_8)));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(30_000).setProtocolType("consumer").setProtocols(protocols);
    }

    @Test
    void everyGroupApiAtEveryVersion() throws Exception {
        // JoinGroup: a first join (v0, no member id round), then a rejoin at every version.
        JoinGroupResponseData first = ((JoinGroupResponse) client.send(join(GROUP, ""), (short) 0)).data();
        assertEquals(Errors.NONE.code(), first.errorCode());
        String member = first.memberId();
        int generation = first.generationId();
        for (short v : versions(ApiKeys.JOIN_GROUP)) {
            JoinGroupResponseData joined = ((JoinGroupResponse) client.send(join(GROUP, member), v)).data();
            assertEquals(Errors.NONE.code(), joined.errorCode(), "JoinGroup v" + v);
            assertEquals(member, joined.leader(), "JoinGroup v" + v);
            generation = joined.generationId();
            if (v >= 4) {
                JoinGroupResponseData required = ((JoinGroupResponse) client.send(join(GROUP + "-new-v" + v, ""), v)).data();
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), required.errorCode(), "JoinGroup v" + v);
            }
        }
        for (short v : versions(ApiKeys.SYNC_GROUP)) {
            SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(GROUP).setMemberId(member).setGenerationId(generation)
                    .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                            .setAssignment("a".getBytes(StandardCharsets.UTF_8))));
            if (v >= 5) {
                sync.setProtocolType("consumer").setProtocolName("range");
            }
            var synced = ((SyncGroupResponse) client.send(sync, v)).data();
            assertEquals(Errors.NONE.code(), synced.errorCode(), "SyncGroup v" + v);
            assertEquals("a", new String(synced.assignment(), StandardCharsets.UTF_8), "SyncGroup v" + v);
        }
        for (short v : versions(ApiKeys.HEARTBEAT)) {
            var beat = ((HeartbeatResponse) client.send(new HeartbeatRequestData().setGroupId(GROUP).setMemberId(member)
                    .setGenerationId(generation), v)).data();
            assertEquals(Errors.NONE.code(), beat.errorCode(), "Heartbeat v" + v);
        }
        for (short v : versions(ApiKeys.OFFSET_COMMIT)) {
            var commit = ((OffsetCommitResponse) client.send(new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(member)
                    .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                            .setName(TOPIC).setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setPartitionIndex(0).setCommittedOffset(v).setCommittedMetadata("v" + v))))), v)).data();
            assertEquals(Errors.NONE.code(), commit.topics().get(0).partitions().get(0).errorCode(), "OffsetCommit v" + v);
        }
        short lastCommit = versions(ApiKeys.OFFSET_COMMIT).get(versions(ApiKeys.OFFSET_COMMIT).size() - 1);
        for (short v : versions(ApiKeys.OFFSET_FETCH)) {
            OffsetFetchRequestData fetch = new OffsetFetchRequestData();
            List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics = List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                    .setName(TOPIC).setPartitionIndexes(List.of(0)));
            if (v >= 8) {
                fetch.setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(GROUP).setTopics(topics),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("unknown-group").setTopics(null)));
            } else {
                fetch.setGroupId(GROUP).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(TOPIC).setPartitionIndexes(List.of(0))));
            }
            if (v >= 7) {
                fetch.setRequireStable(true);
            }
            var fetched = ((OffsetFetchResponse) client.send(fetch, v)).data();
            long offset = v >= 8 ? fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()
                    : fetched.topics().get(0).partitions().get(0).committedOffset();
            assertEquals(lastCommit, offset, "OffsetFetch v" + v);
            if (v >= 8) {
                assertEquals(2, fetched.groups().size(), "OffsetFetch v" + v);
                assertTrue(fetched.groups().get(1).topics().isEmpty(), "OffsetFetch v" + v);
            }
        }
        for (short v : versions(ApiKeys.DESCRIBE_GROUPS)) {
            var described = ((DescribeGroupsResponse) client.send(new DescribeGroupsRequestData()
                    .setGroups(List.of(GROUP, "unknown-group")), v)).data();
            assertEquals("Stable", described.groups().get(0).groupState(), "DescribeGroups v" + v);
            assertEquals(1, described.groups().get(0).members().size(), "DescribeGroups v" + v);
            Errors unknown = v >= 6 ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE;
            assertEquals(unknown.code(), described.groups().get(1).errorCode(), "DescribeGroups v" + v);
            assertEquals("Dead", described.groups().get(1).groupState(), "DescribeGroups v" + v);
        }
        for (short v : versions(ApiKeys.LIST_GROUPS)) {
            ListGroupsRequestData list = new ListGroupsRequestData();
            if (v >= 4) {
                list.setStatesFilter(List.of("Stable"));
            }
            if (v >= 5) {
                list.setTypesFilter(List.of("classic"));
            }
            var listed = ((ListGroupsResponse) client.send(list, v)).data();
            assertEquals(Errors.NONE.code(), listed.errorCode(), "ListGroups v" + v);
            assertTrue(listed.groups().stream().anyMatch(g -> g.groupId().equals(GROUP)), "ListGroups v" + v);
        }
        for (short v : versions(ApiKeys.LEAVE_GROUP)) {
            LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(GROUP);
            if (v >= 3) {
                leave.setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("stranger")));
            } else {
                leave.setMemberId("stranger");
            }
            var left = ((LeaveGroupResponse) client.send(leave, v)).data();
            short error = v >= 3 ? left.members().get(0).errorCode() : left.errorCode();
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), error, "LeaveGroup v" + v);
        }
        var left = ((LeaveGroupResponse) client.send(new LeaveGroupRequestData().setGroupId(GROUP).setMemberId(member), (short) 0)).data();
        assertEquals(Errors.NONE.code(), left.errorCode());
        await("group empty").atMost(Duration.ofSeconds(10)).until(() -> ((DescribeGroupsResponse) client.send(
                new DescribeGroupsRequestData().setGroups(List.of(GROUP)), (short) 5)).data().groups().get(0).groupState().equals("Empty"));
        for (short v : versions(ApiKeys.OFFSET_DELETE)) {
            var deleted = ((OffsetDeleteResponse) client.send(new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(
                    new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                            .setName(TOPIC).setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition()
                                    .setPartitionIndex(0)))).iterator())), v)).data();
            assertEquals(Errors.NONE.code(), deleted.errorCode(), "OffsetDelete v" + v);
        }
        List<Short> deleteVersions = versions(ApiKeys.DELETE_GROUPS);
        for (short v : deleteVersions) {
            var deleted = ((DeleteGroupsResponse) client.send(new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP)), v)).data();
            Errors expected = v == deleteVersions.get(0) ? Errors.NONE : Errors.GROUP_ID_NOT_FOUND;
            assertEquals(expected.code(), deleted.results().iterator().next().errorCode(), "DeleteGroups v" + v);
        }
    }
}
