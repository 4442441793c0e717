package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.fakebroker.FakeCluster;
import io.tributary.client.fakebroker.FakeGroupCoordinator.GroupRequest;
import io.tributary.client.serde.Serdes;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's group protocol against the in-process fake brokers (real sockets, Kafka's wire format): the
 * member-id-required first join, rediscovery after NOT_COORDINATOR, committed offsets as start positions,
 * commits carrying the generation, retries while the coordinator loads, LeaveGroup on close for dynamic
 * members only, and the subscribe/assign exclusion.
 */
class GroupProtocolTest {
    private static final String TOPIC = "events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private FakeCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = FakeCluster.start(2);
        cluster.createTopic(TOPIC, 1, 2);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Consumer<String, String> consumer(String... settings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap(1, 2));
        p.put("group.id", "g");
        p.put("auto.offset.reset", "earliest");
        p.put("request.timeout.ms", "5000");
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            p.put(kv[0], kv[1]);
        }
        return new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer());
    }

    private static void pollUntilAssigned(Consumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no assignment within 30 s");
            consumer.poll(Duration.ofMillis(100));
        }
    }

    @Test
    void joinsWithTheMemberIdTheCoordinatorGaveAndStartsAtCommittedOffsets() {
        cluster.groups().commit(P0, 42);
        List<String> events = new ArrayList<>();
        try (Consumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(TOPIC), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add("revoked " + partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add("assigned " + new java.util.TreeSet<>(partitions));
                }
            });
            pollUntilAssigned(consumer);
            assertEquals(Set.of(P0, P1), consumer.assignment());
            assertEquals(List.of("assigned [events-0, events-1]"), events);
            assertEquals(42, consumer.position(P0), "the committed offset");
            assertEquals(0, consumer.position(P1), "no commit: auto.offset.reset=earliest");
            assertEquals(Map.of(P0, 42L), consumer.committed(Set.of(P0, P1)));
        }
        List<GroupRequest> joins = cluster.groups().requests(ApiKeys.JOIN_GROUP);
        assertEquals("", joins.get(0).memberId(), "the first JoinGroup has no member id");
        assertEquals("member-1", joins.get(1).memberId(), "KIP-394: the second carries the id from MEMBER_ID_REQUIRED");
        assertTrue(events.get(events.size() - 1).startsWith("revoked"), "close revokes through the listener: " + events);
    }

    @Test
    void notCoordinatorSendsTheConsumerToFindTheCoordinatorAgain() {
        try (Consumer<String, String> consumer = consumer()) {
            // FindCoordinator names broker 1, which then answers NOT_COORDINATOR: the group moved to broker 2.
            cluster.groups().moveCoordinatorAfterNextLookup(2);
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
        }
        List<GroupRequest> all = cluster.groups().requests();
        assertTrue(all.stream().filter(r -> r.api() == ApiKeys.FIND_COORDINATOR).count() >= 2, "looked up again: " + all);
        assertTrue(all.stream().anyMatch(r -> r.api() == ApiKeys.JOIN_GROUP && r.brokerId() == 1), "tried broker 1 first: " + all);
        GroupRequest sync = cluster.groups().requests(ApiKeys.SYNC_GROUP).get(0);
        assertEquals(2, sync.brokerId(), "joined at the new coordinator: " + all);
    }

    @Test
    void commitsCarryTheGenerationAndAreRetriedWhileTheCoordinatorLoads() {
        try (Consumer<String, String> consumer = consumer("enable.auto.commit=false")) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
            cluster.groups().scriptOffsetCommit(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_COORDINATOR);
            consumer.commitSync(Map.of(P1, 7L));
            assertEquals(Map.of(P1, 7L), cluster.groups().committed());
            List<GroupRequest> commits = cluster.groups().requests(ApiKeys.OFFSET_COMMIT);
            assertEquals(3, commits.size(), "two refusals, then the commit: " + commits);
            GroupRequest last = commits.get(2);
            GroupRequest sync = cluster.groups().requests(ApiKeys.SYNC_GROUP).get(0);
            assertEquals(sync.generation(), last.generation(), "the commit names the member's generation");
            assertEquals(sync.memberId(), last.memberId());
        }
    }

    @Test
    void aCommitRefusedForItsOwnReasonFailsThatCommitOnlyAndTheConsumerGoesOn() {
        try (Consumer<String, String> consumer = consumer("enable.auto.commit=false")) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
            cluster.groups().scriptOffsetCommit(Errors.OFFSET_METADATA_TOO_LARGE);
            ApiException refused = assertThrows(ApiException.class, () -> consumer.commitSync(Map.of(P0, 3L)));
            assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, refused.error());
            consumer.poll(Duration.ofMillis(50)); // not fatal: the membership is untouched
            consumer.commitSync(Map.of(P0, 4L));
            assertEquals(4L, cluster.groups().committed().get(P0));
        }
    }

    @Test
    void aCommitRefusedForAnEndedGenerationFailsAndTheMemberRejoins() {
        try (Consumer<String, String> consumer = consumer("enable.auto.commit=false")) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
            cluster.groups().scriptOffsetCommit(Errors.ILLEGAL_GENERATION);
            assertThrows(CommitFailedException.class, () -> consumer.commitSync(Map.of(P0, 3L)));
            int joinsBefore = cluster.groups().requests(ApiKeys.JOIN_GROUP).size();
            consumer.poll(Duration.ofMillis(50));
            pollUntilAssigned(consumer);
            assertTrue(cluster.groups().requests(ApiKeys.JOIN_GROUP).size() > joinsBefore, "rejoined after ILLEGAL_GENERATION");
        }
    }

    @Test
    void closeCommitsAndLeavesButAStaticMemberDoesNotLeave() {
        try (Consumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
            assertEquals(0, consumer.position(P0));
            assertEquals(0, consumer.position(P1));
        }
        assertEquals(Map.of(P0, 0L, P1, 0L), cluster.groups().committed(), "auto-commit of the positions on close");
        assertEquals(1, cluster.groups().requests(ApiKeys.LEAVE_GROUP).size());

        try (Consumer<String, String> consumer = consumer("group.instance.id=host-7")) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
        }
        assertEquals(1, cluster.groups().requests(ApiKeys.LEAVE_GROUP).size(), "KIP-345: a static member does not leave on close");
        List<GroupRequest> joins = cluster.groups().requests(ApiKeys.JOIN_GROUP);
        assertEquals("host-7", joins.get(joins.size() - 1).groupInstanceId());
    }

    @Test
    void subscribeAndAssignAreExclusiveAndSubscribeNeedsAGroup() {
        try (Consumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(P0));
            assertThrows(IllegalStateException.class, () -> consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE));
            consumer.unsubscribe();
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            assertThrows(IllegalStateException.class, () -> consumer.assign(List.of(P0)));
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap(1));
        try (Consumer<String, String> noGroup = new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> noGroup.subscribe(List.of(TOPIC), RebalanceListener.NONE));
            assertTrue(e.getMessage().contains("group.id"), e.getMessage());
            assertThrows(IllegalStateException.class, noGroup::commitSync);
            assertFalse(noGroup.assignment().contains(P0));
        }
    }

    @Test
    void heartbeatsKeepTheMemberAliveBetweenPolls() {
        try (Consumer<String, String> consumer = consumer("heartbeat.interval.ms=100", "session.timeout.ms=6000")) {
            consumer.subscribe(List.of(TOPIC), RebalanceListener.NONE);
            pollUntilAssigned(consumer);
            int before = cluster.groups().requests(ApiKeys.HEARTBEAT).size();
            // No poll() here: the background thread alone must heartbeat.
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.groups().requests(ApiKeys.HEARTBEAT).size() >= before + 3);
            assertTrue(cluster.groups().requests(ApiKeys.HEARTBEAT).stream().allMatch(r -> r.brokerId() == 1), "to the coordinator");
        }
    }

    @Test
    void aConsumerThatStopsPollingLeavesTheGroupAndLosesItsPartitions() {
        List<String> events = new ArrayList<>();
        try (Consumer<String, String> consumer = consumer("max.poll.interval.ms=1000", "heartbeat.interval.ms=100",
                "session.timeout.ms=6000")) {
            consumer.subscribe(List.of(TOPIC), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add("revoked");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add("assigned");
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    events.add("lost");
                }
            });
            pollUntilAssigned(consumer);
            // Stuck processing: no poll() for longer than max.poll.interval.ms.
            await().atMost(Duration.ofSeconds(20)).until(() -> !cluster.groups().requests(ApiKeys.LEAVE_GROUP).isEmpty());
            int joins = cluster.groups().requests(ApiKeys.JOIN_GROUP).size();
            consumer.poll(Duration.ofMillis(10));
            assertEquals(List.of("assigned", "lost"), events.subList(0, 2), "the next poll() reports the partitions lost, not revoked");
            pollUntilAssigned(consumer);
            assertTrue(cluster.groups().requests(ApiKeys.JOIN_GROUP).size() > joins, "and joins again");
            assertEquals("", cluster.groups().requests(ApiKeys.JOIN_GROUP).get(joins).memberId(), "as a new member");
        }
    }
}
