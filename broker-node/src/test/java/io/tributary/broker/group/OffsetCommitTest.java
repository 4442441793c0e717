package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed offsets through the official consumer and Admin, on one broker with the default offsets topic
 * (50 partitions, replication factor 1 as LocalCluster sets it for one broker): commit and fetch, multi-group fetch,
 * simple-consumer commits, OffsetDelete, DeleteGroups, ListGroups' state filter, and offsets surviving a restart.
 */
class OffsetCommitTest {

    private static final String TOPIC = "positions";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500", "controlled.shutdown.enable", "false"));
        clients = new GroupClients(cluster);
        clients.createTopic(TOPIC, 2, 1);
        clients.produce(TOPIC, 2, 20);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        cluster.close();
    }

    private KafkaConsumer<String, String> subscribedAndAssigned(String group) {
        KafkaConsumer<String, String> consumer = clients.consumer(group, Map.of());
        consumer.subscribe(List.of(TOPIC));
        await("assignment").atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == 2;
        });
        return consumer;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    @Test
    void aCommitIsFetchedBackByTheConsumerAndByAdmin() throws Exception {
        KafkaConsumer<String, String> consumer = subscribedAndAssigned("roundtrip");
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5, "five"), P1, new OffsetAndMetadata(7)));
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(P0, P1));
        assertEquals(5, committed.get(P0).offset());
        assertEquals("five", committed.get(P0).metadata());
        assertEquals(7, committed.get(P1).offset());

        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(9)));
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, OffsetAndMetadata> seen = offsets(admin, "roundtrip");
            assertEquals(9, seen.get(P0).offset(), "the later commit wins");
            assertEquals(7, seen.get(P1).offset());
            assertTrue(offsets(admin, "never-committed").isEmpty());
        }
    }

    @Test
    void oneFetchAnswersSeveralGroups() throws Exception {
        KafkaConsumer<String, String> a = clients.consumer("multi-a", Map.of());
        a.assign(List.of(P0));
        a.commitSync(Map.of(P0, new OffsetAndMetadata(3)));
        KafkaConsumer<String, String> b = clients.consumer("multi-b", Map.of());
        b.assign(List.of(P1));
        b.commitSync(Map.of(P1, new OffsetAndMetadata(4)));
        try (Admin admin = clients.admin()) {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            specs.put("multi-a", new ListConsumerGroupOffsetsSpec());
            specs.put("multi-b", new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(P0, P1)));
            var result = admin.listConsumerGroupOffsets(specs);
            assertEquals(Map.of(P0, new OffsetAndMetadata(3, java.util.Optional.empty(), "")),
                    result.partitionsToOffsetAndMetadata("multi-a").get());
            Map<TopicPartition, OffsetAndMetadata> ofB = result.partitionsToOffsetAndMetadata("multi-b").get();
            assertEquals(4, ofB.get(P1).offset());
            assertNull(ofB.get(P0), "a partition without a commit has none");
        }
    }

    @Test
    void simpleConsumersAndAdminResetCommitWithoutMembership() throws Exception {
        KafkaConsumer<String, String> simple = clients.consumer("simple", Map.of());
        simple.assign(List.of(P0, P1));
        simple.commitSync(Map.of(P0, new OffsetAndMetadata(2), P1, new OffsetAndMetadata(3)));
        try (Admin admin = clients.admin()) {
            // What kafka-consumer-groups --reset-offsets does: a commit with generation -1 to a group without members.
            admin.alterConsumerGroupOffsets("simple", Map.of(P0, new OffsetAndMetadata(10))).all().get();
            Map<TopicPartition, OffsetAndMetadata> seen = offsets(admin, "simple");
            assertEquals(10, seen.get(P0).offset());
            assertEquals(3, seen.get(P1).offset());
            assertEquals(GroupState.EMPTY, admin.describeConsumerGroups(List.of("simple")).all().get().get("simple").groupState());
        }
    }

    @Test
    void offsetsOfAnActiveGroupsTopicCannotBeDeletedButOfAnEmptyOneCan() throws Exception {
        KafkaConsumer<String, String> consumer = subscribedAndAssigned("deleting");
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(4), P1, new OffsetAndMetadata(6)));
        try (Admin admin = clients.admin()) {
            ExecutionException subscribed = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroupOffsets("deleting", Set.of(P0)).all().get());
            assertInstanceOf(GroupSubscribedToTopicException.class, subscribed.getCause());
            ExecutionException nonEmpty = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of("deleting")).all().get());
            assertInstanceOf(GroupNotEmptyException.class, nonEmpty.getCause());

            clients.closeQuietly(consumer); // leaves: the group is empty now
            await("group empty").atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of("deleting"))
                    .all().get().get("deleting").groupState() == GroupState.EMPTY);
            admin.deleteConsumerGroupOffsets("deleting", Set.of(P0)).all().get();
            assertEquals(Set.of(P1), offsets(admin, "deleting").keySet());

            admin.deleteConsumerGroups(List.of("deleting")).all().get();
            assertTrue(offsets(admin, "deleting").isEmpty());
            ExecutionException gone = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of("deleting")).all().get());
            assertInstanceOf(GroupIdNotFoundException.class, gone.getCause());
        }
    }

    @Test
    void listGroupsFiltersByState() throws Exception {
        subscribedAndAssigned("listed-stable");
        KafkaConsumer<String, String> simple = clients.consumer("listed-empty", Map.of());
        simple.assign(List.of(P0));
        simple.commitSync(Map.of(P0, new OffsetAndMetadata(1)));
        try (Admin admin = clients.admin()) {
            Set<String> stable = Set.copyOf(admin.listConsumerGroups(new ListConsumerGroupsOptions()
                    .inGroupStates(Set.of(GroupState.STABLE))).all().get().stream().map(ConsumerGroupListing::groupId).toList());
            assertEquals(Set.of("listed-stable"), stable);
            Set<String> all = Set.copyOf(admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList());
            assertTrue(all.containsAll(Set.of("listed-stable", "listed-empty")), "all groups: " + all);
        }
    }

    @Test
    void committedOffsetsAndGroupsSurviveARestart() throws Exception {
        KafkaConsumer<String, String> consumer = subscribedAndAssigned("durable");
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(8, "eight"), P1, new OffsetAndMetadata(2)));
        consumer.commitSync(Map.of(P1, new OffsetAndMetadata(11)));
        clients.closeQuietly(consumer);
        KafkaConsumer<String, String> simple = clients.consumer("durable-simple", Map.of());
        simple.assign(List.of(P0));
        simple.commitSync(Map.of(P0, new OffsetAndMetadata(1)));
        simple.commitSync(Map.of(P0, new OffsetAndMetadata(2)));
        clients.closeQuietly(simple);

        cluster.restart(1);
        try (Admin admin = clients.admin()) {
            // Until the groups are loaded again the coordinator answers COORDINATOR_LOAD_IN_PROGRESS; Admin retries.
            Map<TopicPartition, OffsetAndMetadata> seen = offsets(admin, "durable");
            assertEquals(8, seen.get(P0).offset());
            assertEquals("eight", seen.get(P0).metadata());
            assertEquals(11, seen.get(P1).offset(), "the latest record per key wins on replay");
            assertEquals(2, offsets(admin, "durable-simple").get(P0).offset());
            var described = admin.describeConsumerGroups(List.of("durable")).all().get().get("durable");
            assertEquals(GroupState.EMPTY, described.groupState(), "the stored group comes back, without members");
        }
    }
}
