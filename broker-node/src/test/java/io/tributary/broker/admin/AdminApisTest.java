package io.tributary.broker.admin;

import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin APIs through the official Admin client 4.1, on three in-JVM brokers: configs described with their
 * sources, altered all-or-nothing and applied to live replicas without a restart; partitions added and served;
 * records deleted below a new log start offset on the leader and its followers; log dirs and the cluster described.
 */
class AdminApisTest {

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private Admin admin;

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(int brokers) throws Exception {
        cluster = new LocalCluster(brokers, dataDir, Map.of("log.retention.check.interval.ms", "200"));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
    }

    private void createTopic(String name, int partitions, int replicas, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicas).configs(configs))).all().get();
        for (int p = 0; p < partitions; p++) {
            cluster.awaitLeader(name, p);
        }
    }

    private KafkaProducer<String, String> producer(int deliveryTimeoutMs) {
        return producer(deliveryTimeoutMs, new Properties());
    }

    private KafkaProducer<String, String> producer(int deliveryTimeoutMs, Properties props) {
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
        props.put("metadata.max.age.ms", "500");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(resource);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private long earliest(TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
    }

    @Test
    void topicConfigsAreDescribedWithTheirSourcesAndAlteredAllOrNothing() throws Exception {
        start(1);
        createTopic("configured", 1, 1, Map.of("retention.ms", "3600000"));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");

        Config config = describe(topic);
        ConfigEntry retention = config.get("retention.ms");
        assertEquals("3600000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertEquals(List.of(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.DEFAULT_CONFIG),
                retention.synonyms().stream().map(ConfigEntry.ConfigSynonym::source).toList());
        assertEquals("log.retention.ms", retention.synonyms().get(1).name());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("segment.bytes").source());
        assertEquals("1073741824", config.get("segment.bytes").value());
        assertFalse(retention.isReadOnly());
        assertFalse(retention.isSensitive());

        alter(topic, set("segment.bytes", "1048576"), new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE));
        await().atMost(Duration.ofSeconds(10)).until(() -> describe(topic).get("segment.bytes").value().equals("1048576"));
        config = describe(topic);
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("retention.ms").source());
        assertEquals("604800000", config.get("retention.ms").value());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.broker(1).replica(new TopicPartition("configured", 0))
                .orElseThrow().log().config().segmentBytes() == 1048576);

        // A bad value in the request: nothing of it is applied, not even the good key before it.
        ExecutionException bad = assertThrows(ExecutionException.class, () -> alter(topic, set("max.message.bytes", "2000"),
                set("retention.ms", "soon")));
        assertInstanceOf(InvalidConfigurationException.class, bad.getCause());
        assertTrue(bad.getCause().getMessage().contains("retention.ms"), bad.getCause().getMessage());
        assertEquals("1048588", describe(topic).get("max.message.bytes").value());

        // APPEND and SUBTRACT are for list configs only.
        assertInstanceOf(InvalidConfigurationException.class, assertThrows(ExecutionException.class, () -> alter(topic,
                new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND))).getCause());
        alter(topic, new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.APPEND));
        await().atMost(Duration.ofSeconds(10)).until(() -> describe(topic).get("cleanup.policy").source()
                == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEquals("delete", describe(topic).get("cleanup.policy").value());

        ExecutionException unknownKey = assertThrows(ExecutionException.class, () -> alter(topic, set("no.such.config", "1")));
        assertInstanceOf(InvalidConfigurationException.class, unknownKey.getCause());

        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "missing");
        assertInstanceOf(UnknownTopicOrPartitionException.class, assertThrows(ExecutionException.class,
                () -> alter(missing, set("retention.ms", "1"))).getCause());
        assertInstanceOf(UnknownTopicOrPartitionException.class, assertThrows(ExecutionException.class,
                () -> describe(missing)).getCause());

        // validateOnly checks and stores nothing.
        admin.incrementalAlterConfigs(Map.of(topic, List.of(set("retention.bytes", "1000"))),
                new AlterConfigsOptions().validateOnly(true)).all().get();
        assertEquals("-1", describe(topic).get("retention.bytes").value());

        // The legacy AlterConfigs replaces the whole set: segment.bytes goes back to its default.
        // (The 4.x Admin no longer sends it, so it goes on the wire by hand.)
        try (io.tributary.broker.testing.WireClient wire = new io.tributary.broker.testing.WireClient("127.0.0.1", cluster.port(1))) {
            var request = new org.apache.kafka.common.message.AlterConfigsRequestData();
            var resource = new org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("configured");
            resource.configs().add(new org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig()
                    .setName("retention.bytes").setValue("5000000"));
            request.resources().add(resource);
            var response = (org.apache.kafka.common.requests.AlterConfigsResponse) wire.send(request, (short) 2);
            assertEquals(0, response.data().responses().get(0).errorCode());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> describe(topic).get("retention.bytes").value().equals("5000000"));
        config = describe(topic);
        assertEquals("5000000", config.get("retention.bytes").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("segment.bytes").source());
    }

    @Test
    void retentionBytesSetAtRunTimeDeletesOldSegmentsWithoutARestart() throws Exception {
        start(1);
        createTopic("shrinking", 1, 1, Map.of("segment.bytes", "2048"));
        TopicPartition tp = new TopicPartition("shrinking", 0);
        try (KafkaProducer<String, String> producer = producer(20_000)) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("shrinking", 0, "k" + i, "value-" + i + "-" + "x".repeat(50))).get();
            }
        }
        var partition = cluster.broker(1).replica(tp).orElseThrow();
        int segmentsBefore = partition.log().segmentCount();
        assertTrue(segmentsBefore > 4, "segments: " + segmentsBefore);
        assertEquals(0, earliest(tp));

        alter(new ConfigResource(ConfigResource.Type.TOPIC, "shrinking"), set("retention.bytes", "4096"));
        await().atMost(Duration.ofSeconds(20)).until(() -> partition.log().segmentCount() <= 3);
        long start = earliest(tp);
        assertTrue(start > 0, "earliest offset after retention: " + start);
        assertTrue(partition.log().sizeInBytes() <= 4096 + 2048 + 200, "size: " + partition.log().sizeInBytes());
    }

    @Test
    void raisingMinInsyncReplicasRefusesAcksAllWrites() throws Exception {
        start(1);
        createTopic("guarded", 1, 1, Map.of());
        // No retries, so the broker's refusal reaches the caller as it is (a retried one ends as a timeout).
        Properties noRetries = new Properties();
        noRetries.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        noRetries.put(ProducerConfig.RETRIES_CONFIG, "0");
        try (KafkaProducer<String, String> producer = producer(4_000, noRetries)) {
            producer.send(new ProducerRecord<>("guarded", 0, "k", "before")).get();
            alter(new ConfigResource(ConfigResource.Type.TOPIC, "guarded"), set("min.insync.replicas", "2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> describe(new ConfigResource(ConfigResource.Type.TOPIC, "guarded"))
                    .get("min.insync.replicas").value().equals("2"));
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("guarded", 0, "k", "after")).get());
            assertInstanceOf(NotEnoughReplicasException.class, refused.getCause());
        }
    }

    @Test
    void loweringMaxMessageBytesRefusesLargerBatchesAtOnce() throws Exception {
        start(1);
        createTopic("capped", 1, 1, Map.of());
        Properties noRetries = new Properties();
        noRetries.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        noRetries.put(ProducerConfig.RETRIES_CONFIG, "0");
        try (KafkaProducer<String, String> producer = producer(4_000, noRetries)) {
            String large = "z".repeat(4_000);
            producer.send(new ProducerRecord<>("capped", 0, "k", large)).get();
            alter(new ConfigResource(ConfigResource.Type.TOPIC, "capped"), set("max.message.bytes", "1000"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.broker(1).replica(new TopicPartition("capped", 0))
                    .orElseThrow().log().config().maxMessageBytes() == 1000);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("capped", 0, "k", large)).get());
            assertInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class, refused.getCause());
            producer.send(new ProducerRecord<>("capped", 0, "k", "small")).get();
        }
    }

    @Test
    void dynamicBrokerDefaultsApplyToTopicsAndStaticSettingsAreRefused() throws Exception {
        start(2);
        createTopic("inherits", 1, 2, Map.of());
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigResource broker1 = new ConfigResource(ConfigResource.Type.BROKER, "1");
        alter(clusterDefault, set("log.retention.ms", "7200000"));
        alter(broker1, set("log.segment.bytes", "4194304"));

        Config defaults = describe(clusterDefault);
        assertEquals("7200000", defaults.get("log.retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, defaults.get("log.retention.ms").source());

        await().atMost(Duration.ofSeconds(10)).until(() -> describe(broker1).get("log.segment.bytes").value().equals("4194304"));
        Config own = describe(broker1);
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, own.get("log.segment.bytes").source());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, own.get("log.retention.ms").source());
        assertTrue(own.get("num.io.threads").isReadOnly());
        assertFalse(own.get("log.retention.ms").isReadOnly());

        ConfigEntry retention = describe(new ConfigResource(ConfigResource.Type.TOPIC, "inherits")).get("retention.ms");
        assertEquals("7200000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, retention.source());

        // Applied to the live replicas: the cluster default on both brokers, broker 1's own segment size only there.
        TopicPartition tp = new TopicPartition("inherits", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.broker(1).replica(tp).orElseThrow().log().config().retentionMs() == 7_200_000
                && cluster.broker(2).replica(tp).orElseThrow().log().config().retentionMs() == 7_200_000
                && cluster.broker(1).replica(tp).orElseThrow().log().config().segmentBytes() == 4_194_304);
        assertEquals(1073741824L, cluster.broker(2).replica(tp).orElseThrow().log().config().segmentBytes());

        ExecutionException staticOnly = assertThrows(ExecutionException.class, () -> alter(broker1, set("num.io.threads", "4")));
        assertInstanceOf(InvalidRequestException.class, staticOnly.getCause());
        assertInstanceOf(InvalidConfigurationException.class, assertThrows(ExecutionException.class,
                () -> alter(clusterDefault, set("log.retention.ms", "-7"))).getCause());
    }

    @Test
    void createPartitionsAddsServingPartitions() throws Exception {
        start(3);
        createTopic("growing", 2, 2, Map.of());
        assertInstanceOf(InvalidPartitionsException.class, assertThrows(ExecutionException.class,
                () -> admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all().get()).getCause());
        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6)), new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertEquals(2, topic("growing").partitions().size());

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all().get();
        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5, List.of(List.of(3, 1))))).all().get();
        TopicDescription description = topic("growing");
        assertEquals(5, description.partitions().size());
        assertEquals(List.of(3, 1), description.partitions().get(4).replicas().stream().map(n -> n.id()).toList());
        description.partitions().forEach(p -> assertEquals(2, p.replicas().size()));

        try (KafkaProducer<String, String> producer = producer(20_000)) {
            var written = producer.send(new ProducerRecord<>("growing", 4, "k", "in-a-new-partition")).get();
            assertEquals(4, written.partition());
            assertEquals(0, written.offset());
        }
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition tp = new TopicPartition("growing", 4);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            List<String> values = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
            assertEquals(List.of("in-a-new-partition"), values);
        }
    }

    private TopicDescription topic(String name) throws Exception {
        return admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
    }

    @Test
    void deleteRecordsAdvancesTheLogStartOffsetOnLeaderAndFollowers() throws Exception {
        start(2);
        createTopic("trimmed", 1, 2, Map.of("segment.bytes", "1024"));
        TopicPartition tp = new TopicPartition("trimmed", 0);
        try (KafkaProducer<String, String> producer = producer(20_000)) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("trimmed", 0, "k" + i, "value-" + i + "-" + "y".repeat(40))).get();
            }
        }
        int leader = cluster.leaderOf("trimmed", 0);
        int follower = leader == 1 ? 2 : 1;
        int segmentsBefore = cluster.broker(leader).replica(tp).orElseThrow().log().segmentCount();

        var deleted = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(60))).lowWatermarks().get(tp).get();
        assertEquals(60, deleted.lowWatermark());
        assertEquals(60, earliest(tp));
        assertTrue(cluster.broker(leader).replica(tp).orElseThrow().log().segmentCount() < segmentsBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.broker(follower).replica(tp).orElseThrow().logStartOffset() == 60);

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 10);
            assertThrows(OffsetOutOfRangeException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
            consumer.seek(tp, 60);
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 40;
            });
            assertEquals("k60", records.get(0).key());
            assertEquals(60, records.get(0).offset());
        }

        // Above the high watermark: OFFSET_OUT_OF_RANGE; -1 (beforeOffset(-1)) deletes up to the high watermark.
        ExecutionException beyond = assertThrows(ExecutionException.class,
                () -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(1000))).all().get());
        assertInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class, beyond.getCause());
        assertEquals(100, admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp).get().lowWatermark());

        // Durable: a restarted leader still starts at 100.
        cluster.stop(follower);
        cluster.restart(leader);
        cluster.awaitLeader("trimmed", 0);
        try (Admin direct = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.port(leader)))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    direct.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset() == 100);
        }
    }

    @Test
    void logDirsAndClusterAreDescribed() throws Exception {
        start(2);
        createTopic("placed", 2, 2, Map.of());
        try (KafkaProducer<String, String> producer = producer(20_000)) {
            producer.send(new ProducerRecord<>("placed", 0, "k", "v")).get();
        }
        var cluster2 = admin.describeCluster();
        assertEquals(2, cluster2.nodes().get().size());
        assertTrue(cluster2.controller().get().id() >= 1);
        assertFalse(cluster2.clusterId().get().isEmpty());

        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(1, 2)).allDescriptions().get();
        for (int broker : List.of(1, 2)) {
            Map<String, LogDirDescription> byDir = dirs.get(broker);
            assertEquals(1, byDir.size());
            LogDirDescription dir = byDir.values().iterator().next();
            assertTrue(dir.totalBytes().isPresent() && dir.totalBytes().getAsLong() > 0);
            var replica = dir.replicaInfos().get(new TopicPartition("placed", 0));
            assertTrue(replica != null && replica.size() > 0, "broker " + broker + ": " + dir.replicaInfos());
            assertFalse(replica.isFuture());
            assertTrue(dir.replicaInfos().containsKey(new TopicPartition("placed", 1)));
        }
    }
}
