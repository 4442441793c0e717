package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.producer.Producer;
import io.tributary.client.serde.Serdes;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** client-sdk's Admin: configs, partitions and records against broker processes, checked with the official Admin. */
class SdkAdminTest {

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(2));

    private Admin admin(ClusterProcesses c) {
        Properties props = new Properties();
        props.put("bootstrap.servers", c.bootstrap());
        return new Admin(props);
    }

    @Test
    void configsPartitionsAndRecords() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic("sdk-admin", 1, (short) 2))).all().get();
        c.awaitLeaders("sdk-admin", 1);
        try (Admin admin = admin(c)) {
            ConfigResource topic = ConfigResource.topic("sdk-admin");
            admin.incrementalAlterConfigs(topic, List.of(AlterConfigOp.set("retention.ms", "120000")), false);
            ConfigEntry retention = admin.describeConfigs(topic).stream().filter(e -> e.name().equals("retention.ms"))
                    .findFirst().orElseThrow();
            assertEquals("120000", retention.value());
            assertEquals("DYNAMIC_TOPIC_CONFIG", retention.source());

            ApiException bad = assertThrows(ApiException.class, () -> admin.incrementalAlterConfigs(topic,
                    List.of(AlterConfigOp.set("segment.bytes", "tiny")), false));
            assertEquals(Errors.INVALID_CONFIG, bad.error());
            ApiException unknown = assertThrows(ApiException.class, () -> admin.describeConfigs(ConfigResource.topic("nope")));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, unknown.error());

            List<ConfigEntry> broker = admin.describeConfigs(ConfigResource.broker(2));
            assertTrue(broker.stream().anyMatch(e -> e.name().equals("broker.id") && e.value().equals("2") && e.readOnly()),
                    broker.toString());

            // A producer that knows the topic with one partition sees the new ones at its next metadata refresh.
            Properties sdkProps = new Properties();
            sdkProps.put("bootstrap.servers", c.bootstrap());
            sdkProps.put("metadata.max.age.ms", "500");
            try (Producer<String, String> producer = new Producer<>(sdkProps, Serdes.string().serializer(), Serdes.string().serializer())) {
                assertEquals(0, producer.send(new io.tributary.client.producer.ProducerRecord<>("sdk-admin", "before")).get().partition());
                admin.createPartitions("sdk-admin", 3);
                c.awaitLeaders("sdk-admin", 3);
                Set<Integer> reached = new HashSet<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    reached.add(producer.send(new io.tributary.client.producer.ProducerRecord<>("sdk-admin", "after")).get().partition());
                    return reached.containsAll(Set.of(0, 1, 2));
                });
            }
            assertEquals(3, admin.describeTopics(List.of("sdk-admin")).get("sdk-admin").partitions().size());
            ApiException notMore = assertThrows(ApiException.class, () -> admin.createPartitions("sdk-admin", 2));
            assertEquals(Errors.INVALID_PARTITIONS, notMore.error());

            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("sdk-admin", 2, "k", "v" + i)).get();
                }
            }
            TopicPartition tp = new TopicPartition("sdk-admin", 2);
            assertEquals(Map.of(tp, 7L), admin.deleteRecords(Map.of(tp, 7L)));
            org.apache.kafka.common.TopicPartition kafkaTp = new org.apache.kafka.common.TopicPartition("sdk-admin", 2);
            assertEquals(7, c.admin().listOffsets(Map.of(kafkaTp, OffsetSpec.earliest())).partitionResult(kafkaTp).get().offset());
            ApiException beyond = assertThrows(ApiException.class, () -> admin.deleteRecords(Map.of(tp, 1_000_000L)));
            assertEquals(Errors.OFFSET_OUT_OF_RANGE, beyond.error());
        }
    }
}
