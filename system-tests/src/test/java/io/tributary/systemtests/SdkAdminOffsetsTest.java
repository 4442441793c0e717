package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ClusterMetadata;
import io.tributary.client.admin.ListOffsetsResult;
import io.tributary.client.admin.LogDirDescription;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** client-sdk's Admin.listOffsets and describeLogDirs (what the console polls) against a broker process. */
class SdkAdminOffsetsTest {

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(1));

    @Test
    void earliestAndLatestOffsetsAndPartitionSizesMatchKafkasAdmin() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic("sdk-offsets", 2, (short) 1))).all().get();
        c.awaitLeaders("sdk-offsets", 2);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("sdk-offsets", 0, "k", "zero-" + i)).get();
            }
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("sdk-offsets", 1, "k", "one-" + i)).get();
            }
        }
        org.apache.kafka.common.TopicPartition kafkaP0 = new org.apache.kafka.common.TopicPartition("sdk-offsets", 0);
        c.admin().deleteRecords(Map.of(kafkaP0, RecordsToDelete.beforeOffset(4))).all().get();

        TopicPartition p0 = new TopicPartition("sdk-offsets", 0);
        TopicPartition p1 = new TopicPartition("sdk-offsets", 1);
        Properties adminProps = new Properties();
        adminProps.put("bootstrap.servers", c.bootstrap());
        try (Admin admin = new Admin(adminProps)) {
            assertEquals(Map.of(p0, 4L, p1, 0L), admin.listOffsets(Map.of(p0, OffsetSpec.EARLIEST, p1, OffsetSpec.EARLIEST)).all());
            // Per partition: a partition that does not exist has its error, and the others still have their offsets.
            TopicPartition p7 = new TopicPartition("sdk-offsets", 7);
            ListOffsetsResult latest = admin.listOffsets(Map.of(p0, OffsetSpec.LATEST, p1, OffsetSpec.LATEST, p7, OffsetSpec.LATEST));
            assertEquals(Map.of(p0, 10L, p1, 3L), latest.offsets());
            assertEquals(Set.of(p7), latest.errors().keySet());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, ((ApiException) latest.errors().get(p7)).error());
            ApiException unknown = assertThrows(ApiException.class, latest::all);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, unknown.error());

            // One Metadata answer for brokers, controller and topics, with the broker's internal flag.
            ClusterMetadata metadata = admin.describeClusterAndTopics();
            assertEquals(List.of(1), metadata.cluster().brokers().stream().map(n -> n.id()).toList());
            assertEquals(1, metadata.cluster().controller().id());
            assertEquals(2, metadata.topics().get("sdk-offsets").partitions().size());
            assertFalse(metadata.topics().get("sdk-offsets").internal());

            List<LogDirDescription> dirs = admin.describeLogDirs(1);
            Map<String, org.apache.kafka.clients.admin.LogDirDescription> expected =
                    c.admin().describeLogDirs(List.of(1)).allDescriptions().get().get(1);
            assertEquals(expected.keySet(), dirs.stream().map(LogDirDescription::path).collect(java.util.stream.Collectors.toSet()));
            Map<TopicPartition, Long> sizes = new HashMap<>();
            dirs.forEach(d -> sizes.putAll(d.partitionBytes()));
            Map<TopicPartition, Long> expectedSizes = new HashMap<>();
            expected.values().forEach(d -> d.replicaInfos().forEach((tp, info) ->
                    expectedSizes.put(new TopicPartition(tp.topic(), tp.partition()), info.size())));
            assertEquals(expectedSizes, sizes);
            assertTrue(sizes.get(p0) > sizes.get(p1), "10 records take more bytes than 3: " + sizes);
            assertTrue(admin.listTopics(true).contains("sdk-offsets"));
        }
    }
}
