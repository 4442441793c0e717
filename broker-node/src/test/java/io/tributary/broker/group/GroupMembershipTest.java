package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Official KafkaConsumers (group.protocol=classic) in groups on one broker: they split a topic's partitions
 * disjointly, extra members stay idle, separate groups each read everything, and the partitions of a member that
 * leaves or dies move to the others.
 */
class GroupMembershipTest {

    private static final String TOPIC = "shared";
    private static final int PARTITIONS = 6;
    private static final Set<TopicPartition> ALL = Set.copyOf(IntStream.range(0, PARTITIONS)
            .mapToObj(p -> new TopicPartition(TOPIC, p)).toList());

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(5, 1));
        clients = new GroupClients(cluster);
        clients.createTopic(TOPIC, PARTITIONS, 1);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        cluster.close();
    }

    private List<KafkaConsumer<String, String>> subscribed(String group, int count) {
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KafkaConsumer<String, String> consumer = clients.consumer(group, Map.of("client.id", group + "-c" + i));
            consumer.subscribe(List.of(TOPIC));
            consumers.add(consumer);
        }
        return consumers;
    }

    private void awaitAssignment(List<KafkaConsumer<String, String>> consumers, int expectedBusy) {
        Map<KafkaConsumer<String, String>, List<String>> ignored = new HashMap<>();
        await("disjoint covering assignment").atMost(Duration.ofSeconds(60)).until(() -> {
            GroupClients.pollAll(consumers, ignored);
            return GroupClients.disjointAndCovering(consumers, ALL)
                    && consumers.stream().filter(c -> !c.assignment().isEmpty()).count() == expectedBusy;
        });
    }

    @Test
    void threeConsumersSplitSixPartitionsDisjointly() throws Exception {
        List<KafkaConsumer<String, String>> consumers = subscribed("three", 3);
        awaitAssignment(consumers, 3);
        consumers.forEach(c -> assertEquals(2, c.assignment().size(), "range assignment gives each of 3 members 2 of 6"));
        try (var admin = clients.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("three")).all().get().get("three");
            assertEquals(GroupState.STABLE, group.groupState());
            assertEquals(3, group.members().size());
            Set<TopicPartition> described = new HashSet<>();
            group.members().forEach(m -> described.addAll(m.assignment().topicPartitions()));
            assertEquals(ALL, described, "DescribeGroups shows the assignment the members received");
            TopicDescription offsets = admin.describeTopics(List.of(OffsetsTopic.NAME)).allTopicNames().get().get(OffsetsTopic.NAME);
            assertTrue(offsets.isInternal(), "Metadata marks __consumer_offsets as internal");
            assertEquals(5, offsets.partitions().size());
        }
    }

    @Test
    void aSeventhConsumerIsIdle() {
        List<KafkaConsumer<String, String>> consumers = subscribed("seven", 7);
        awaitAssignment(consumers, 6);
        consumers.stream().filter(c -> !c.assignment().isEmpty())
                .forEach(c -> assertEquals(1, c.assignment().size()));
    }

    @Test
    void twoGroupsEachReadEveryRecord() throws Exception {
        List<String> produced = clients.produce(TOPIC, PARTITIONS, 120);
        List<KafkaConsumer<String, String>> first = subscribed("first", 2);
        List<KafkaConsumer<String, String>> second = subscribed("second", 2);
        Map<KafkaConsumer<String, String>, List<String>> received = new HashMap<>();
        List<KafkaConsumer<String, String>> all = new ArrayList<>(first);
        all.addAll(second);
        await("both groups read everything").atMost(Duration.ofSeconds(60)).until(() -> {
            GroupClients.pollAll(all, received);
            return readBy(first, received).containsAll(produced) && readBy(second, received).containsAll(produced);
        });
        assertEquals(Set.copyOf(produced), readBy(first, received));
        assertEquals(Set.copyOf(produced), readBy(second, received));
    }

    private static Set<String> readBy(List<KafkaConsumer<String, String>> group, Map<KafkaConsumer<String, String>, List<String>> received) {
        Set<String> values = new HashSet<>();
        group.forEach(c -> values.addAll(received.getOrDefault(c, List.of())));
        return values;
    }

    @Test
    void theGroupTakesOverThePartitionsOfAMemberThatLeaves() {
        List<KafkaConsumer<String, String>> consumers = subscribed("leaving", 3);
        awaitAssignment(consumers, 3);
        KafkaConsumer<String, String> leaver = consumers.remove(2);
        clients.closeQuietly(leaver); // sends LeaveGroup
        awaitAssignment(consumers, 2);
        consumers.forEach(c -> assertEquals(3, c.assignment().size()));
    }

    @Test
    void theGroupTakesOverThePartitionsOfAMemberThatDies() {
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>(subscribed("dying", 2));
        // This member never says goodbye: only its session timeout removes it.
        KafkaConsumer<String, String> silent = clients.consumer("dying", Map.of("internal.leave.group.on.close", false,
                "session.timeout.ms", "1500"));
        silent.subscribe(List.of(TOPIC));
        consumers.add(silent);
        awaitAssignment(consumers, 3);
        consumers.remove(silent);
        clients.closeQuietly(silent);
        awaitAssignment(consumers, 2);
        consumers.forEach(c -> assertEquals(3, c.assignment().size()));
    }

    @Test
    void aRestartedStaticMemberGetsItsPartitionsBackWithoutARebalance() {
        java.util.concurrent.atomic.AtomicInteger survivorRevocations = new java.util.concurrent.atomic.AtomicInteger();
        KafkaConsumer<String, String> survivor = clients.consumer("static", Map.of("group.instance.id", "survivor"));
        survivor.subscribe(List.of(TOPIC), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    survivorRevocations.incrementAndGet();
                }
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            }
        });
        KafkaConsumer<String, String> restarting = clients.consumer("static", Map.of("group.instance.id", "restarting"));
        restarting.subscribe(List.of(TOPIC));
        List<KafkaConsumer<String, String>> both = new ArrayList<>(List.of(survivor, restarting));
        awaitAssignment(both, 2);
        Set<TopicPartition> before = Set.copyOf(restarting.assignment());
        int revocationsBefore = survivorRevocations.get();

        clients.closeQuietly(restarting); // a static member does not leave on close: its place waits for its session
        KafkaConsumer<String, String> restarted = clients.consumer("static", Map.of("group.instance.id", "restarting"));
        restarted.subscribe(List.of(TOPIC));
        both.set(1, restarted);
        awaitAssignment(both, 2);
        assertEquals(before, restarted.assignment(), "the instance gets its partitions back");
        for (int i = 0; i < 10; i++) {
            GroupClients.pollAll(both, new HashMap<>());
        }
        assertEquals(revocationsBefore, survivorRevocations.get(), "the other member never gave up its partitions");
    }
}
