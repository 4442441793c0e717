package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.WireClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three brokers, the offsets topic replicated three times. The coordinator of a group goes away: without a
 * controlled shutdown (its offsets partitions are not handed over; the survivors elect a new leader from the ISR)
 * and with one. Either way the group finds the new coordinator, which loaded the group from its replica, and
 * every acknowledged commit is still there: none is lost and none goes backwards.
 */
class CoordinatorFailoverTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "failover-group";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;

    @AfterEach
    void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster(boolean controlledShutdown) throws Exception {
        cluster = new LocalCluster(3, dataDir, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500", "offsets.topic.num.partitions", "3",
                "offsets.topic.replication.factor", "3", "replica.lag.time.max.ms", "10000",
                "controlled.shutdown.enable", Boolean.toString(controlledShutdown)));
        clients = new GroupClients(cluster);
        clients.createTopic(TOPIC, 2, 3);
    }

    private int coordinatorOf(String group, int askBroker) throws Exception {
        try (WireClient client = new WireClient("127.0.0.1", cluster.port(askBroker))) {
            FindCoordinatorResponse response = (FindCoordinatorResponse) client.send(
                    new FindCoordinatorRequestData().setKey(group), (short) 3);
            return response.data().errorCode() == Errors.NONE.code() ? response.data().nodeId() : -1;
        }
    }

    private Errors fetchErrorAt(int broker, String group) throws Exception {
        try (WireClient client = new WireClient("127.0.0.1", cluster.port(broker))) {
            OffsetFetchResponseData response = ((OffsetFetchResponse) client.send(new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(null))), (short) 8)).data();
            return Errors.forCode(response.groups().get(0).errorCode());
        }
    }

    private KafkaConsumer<String, String> assignedConsumer() {
        KafkaConsumer<String, String> consumer = clients.consumer(GROUP, Map.of());
        consumer.subscribe(List.of(TOPIC));
        await("assignment").atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == 2;
        });
        return consumer;
    }

    private void commitsSurviveTheCoordinator(boolean controlledShutdown) throws Exception {
        startCluster(controlledShutdown);
        KafkaConsumer<String, String> consumer = assignedConsumer();
        for (int i = 1; i <= 20; i++) {
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(i), P1, new OffsetAndMetadata(100 + i)));
        }
        int coordinator = coordinatorOf(GROUP, 1);
        assertTrue(coordinator > 0, "a coordinator was found");
        int other = coordinator == 1 ? 2 : 1;
        assertEquals(coordinator, coordinatorOf(GROUP, other), "every broker names the same coordinator");
        assertEquals(Errors.NOT_COORDINATOR, fetchErrorAt(other, GROUP), "a broker that does not lead the group's partition refuses");
        assertEquals(Errors.NONE, fetchErrorAt(coordinator, GROUP));

        cluster.stop(coordinator);

        int survivor = coordinator == 1 ? 2 : 1;
        await("a new coordinator").atMost(Duration.ofSeconds(30)).until(() -> {
            int found = coordinatorOf(GROUP, survivor);
            return found > 0 && found != coordinator;
        });
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, OffsetAndMetadata> seen = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            assertEquals(20, seen.get(P0).offset(), "no acknowledged commit is lost");
            assertEquals(120, seen.get(P1).offset());
        }
        // The member keeps working with the new coordinator, which knows it from the stored group.
        await("commit through the new coordinator").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            consumer.poll(Duration.ofMillis(100));
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(21)));
            return true;
        });
        Map<TopicPartition, OffsetAndMetadata> after = consumer.committed(Set.of(P0, P1));
        assertEquals(21, after.get(P0).offset());
        assertEquals(120, after.get(P1).offset(), "an offset not committed again stays where it was");
        int newCoordinator = coordinatorOf(GROUP, survivor);
        assertNotEquals(coordinator, newCoordinator);
        assertEquals(Errors.NONE, fetchErrorAt(newCoordinator, GROUP));
    }

    @Test
    void commitsSurviveACoordinatorThatLeavesWithoutHandingOver() throws Exception {
        commitsSurviveTheCoordinator(false);
    }

    @Test
    void commitsSurviveAControlledShutdownOfTheCoordinator() throws Exception {
        commitsSurviveTheCoordinator(true);
    }

    @Test
    void aGroupConsumingThroughACoordinatorFailureMissesNoRecord() throws Exception {
        startCluster(false);
        List<String> produced = clients.produce(TOPIC, 2, 400);
        List<KafkaConsumer<String, String>> consumers = List.of(
                clients.consumer(GROUP, Map.of("max.poll.records", "20", "client.id", "c1")),
                clients.consumer(GROUP, Map.of("max.poll.records", "20", "client.id", "c2")));
        consumers.forEach(c -> c.subscribe(List.of(TOPIC)));
        java.util.Set<String> processed = new java.util.HashSet<>();
        boolean coordinatorStopped = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (processed.size() < produced.size() && System.nanoTime() < deadline) {
            for (KafkaConsumer<String, String> consumer : consumers) {
                try {
                    for (var record : consumer.poll(Duration.ofMillis(50))) {
                        processed.add(record.value());
                    }
                    consumer.commitSync(); // at-least-once: commit what this poll returned
                } catch (org.apache.kafka.common.errors.RetriableException
                         | org.apache.kafka.clients.consumer.CommitFailedException
                         | org.apache.kafka.common.errors.RebalanceInProgressException e) {
                    // a rebalance or a coordinator change: the records are delivered again, which at-least-once allows
                }
            }
            if (!coordinatorStopped && processed.size() >= produced.size() / 3) {
                int coordinator = coordinatorOf(GROUP, 1);
                if (coordinator > 0) {
                    cluster.stop(coordinator); // mid-consumption, without handing anything over
                    coordinatorStopped = true;
                }
            }
        }
        assertTrue(coordinatorStopped, "the coordinator was stopped while the group consumed");
        assertEquals(Set.copyOf(produced), processed, "every record was processed by the group");
        try (Admin admin = clients.admin()) {
            await("final commits").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                for (KafkaConsumer<String, String> consumer : consumers) {
                    consumer.poll(Duration.ofMillis(50));
                    consumer.commitSync();
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get();
                return committed.get(P0) != null && committed.get(P0).offset() == 200
                        && committed.get(P1) != null && committed.get(P1).offset() == 200;
            });
        }
    }
}
