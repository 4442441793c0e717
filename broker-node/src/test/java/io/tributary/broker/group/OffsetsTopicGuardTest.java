package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.coordinator.topics.PartitionAdder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin APIs that would corrupt {@code __consumer_offsets} are refused on it, a committed offset is still
 * there afterwards, and partitions appearing later never move a group (the count is read once, as Kafka does).
 */
class OffsetsTopicGuardTest {

    private static final String TOPIC = "guarded";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private GroupClients clients;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(1, dataDir, GroupClients.fastGroups(3, 1));
        clients = new GroupClients(cluster);
        clients.createTopic(TOPIC, 1, 1);
        clients.produce(TOPIC, 1, 10);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        cluster.close();
    }

    private void commit(String group, long offset) {
        KafkaConsumer<String, String> consumer = clients.consumer(group, Map.of());
        consumer.assign(List.of(P0));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(offset)));
    }

    private static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(P0).offset();
    }

    @Test
    void deleteRecordsAndDeleteTopicsAreRefusedOnTheOffsetsTopic() throws Exception {
        commit("kept", 7);
        int partition = Utils.abs("kept".hashCode()) % 3;
        TopicPartition offsetsPartition = new TopicPartition(OffsetsTopic.NAME, partition);
        try (Admin admin = clients.admin()) {
            ExecutionException records = assertThrows(ExecutionException.class, () -> admin.deleteRecords(
                    Map.of(offsetsPartition, RecordsToDelete.beforeOffset(-1))).all().get());
            assertInstanceOf(InvalidTopicException.class, records.getCause());
            assertEquals(0, cluster.broker(1).replica(offsetsPartition).orElseThrow().logStartOffset(),
                    "the log start offset did not move");

            ExecutionException topics = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of(OffsetsTopic.NAME)).all().get());
            assertInstanceOf(InvalidTopicException.class, topics.getCause());
            assertTrue(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get().contains(OffsetsTopic.NAME));
        }
        // The group's commit survives a reload of its partition from the log.
        cluster.restart(1);
        try (Admin admin = clients.admin()) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> committed(admin, "kept") == 7);
        }
    }

    @Test
    void partitionsAreNeverAddedAndGroupsKeepTheirPartitionIfSomeAppear() throws Exception {
        // A group whose partition would move if the 3 offsets partitions became 6.
        String group = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "moving-" + i)
                .filter(g -> Utils.abs(g.hashCode()) % 6 >= 3).findFirst().orElseThrow();
        commit(group, 7);
        try (Admin admin = clients.admin()) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.createPartitions(
                    Map.of(OffsetsTopic.NAME, NewPartitions.increaseTo(6))).all().get());
            assertInstanceOf(InvalidRequestException.class, refused.getCause());
            assertEquals(3, admin.describeTopics(List.of(OffsetsTopic.NAME)).allTopicNames().get()
                    .get(OffsetsTopic.NAME).partitions().size());
        }
        // Partitions added behind the broker's back (straight into ZooKeeper) must not move the group.
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            PartitionAdder adder = new PartitionAdder(zk);
            adder.add(OffsetsTopic.NAME, adder.read(OffsetsTopic.NAME), Map.of(3, List.of(1), 4, List.of(1), 5, List.of(1)));
        }
        TopicPartition added = new TopicPartition(OffsetsTopic.NAME, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.broker(1).replica(added).isPresent());
        try (Admin admin = clients.admin()) {
            assertEquals(7, committed(admin, group), "the group is still read from its original partition");
        }
        commit(group, 9);
        try (Admin admin = clients.admin()) {
            assertEquals(9, committed(admin, group));
        }
        TopicPartition original = new TopicPartition(OffsetsTopic.NAME, Utils.abs(group.hashCode()) % 3);
        assertTrue(cluster.broker(1).replica(original).orElseThrow().logEndOffset() >= 2, "both commits are in its partition");
        assertEquals(0, cluster.broker(1).replica(new TopicPartition(OffsetsTopic.NAME, Utils.abs(group.hashCode()) % 6))
                .orElseThrow().logEndOffset(), "nothing went to the partition the live count would name");
    }
}
