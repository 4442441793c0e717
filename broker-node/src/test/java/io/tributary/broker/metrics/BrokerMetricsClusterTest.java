package io.tributary.broker.metrics;

import static io.tributary.broker.metrics.MetricsScrape.samples;
import static io.tributary.broker.metrics.MetricsScrape.scrape;
import static io.tributary.broker.metrics.MetricsScrape.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-JVM brokers scraped over real HTTP: the counters move with real produce, fetch and replication, the
 * gauges follow the replicas' state, and series of a deleted topic go away. One cluster for the class; the test
 * that stops a broker runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerMetricsClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(3, dir, Map.of("replica.lag.time.max.ms", "2000", "offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0"));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void describeConfigsReportsTheBoundMetricsUrlAndTheEndpointsAnswer() throws Exception {
        for (int id = 1; id <= 3; id++) {
            String url = cluster.metricsUrl(id);
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+") && !url.endsWith(":0"), url);
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id))))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertEquals(url, config.get("metrics.listener").value());

            MetricsScrape.Response live = MetricsScrape.get(url + "/health/live");
            assertEquals(200, live.status());
            assertEquals("{\"status\":\"UP\",\"broker\":" + id + "}", live.body());
            MetricsScrape.Response ready = MetricsScrape.get(url + "/health/ready");
            assertEquals(200, ready.status(), ready.body());
            assertEquals("{\"status\":\"UP\",\"broker\":" + id + ",\"checks\":{\"zookeeper\":\"UP\",\"logs\":\"UP\","
                    + "\"listener\":\"UP\",\"registration\":\"UP\",\"shutdown\":\"UP\"}}", ready.body());
            MetricsScrape.Response metrics = MetricsScrape.get(url + "/metrics");
            assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
            assertTrue(value(metrics.body(), "process_resident_memory_bytes") > 1024 * 1024);
            for (String jvm : List.of("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads")) {
                assertTrue(metrics.body().contains(jvm), jvm);
            }
            assertEquals(1, value(metrics.body(), "kafka_server_sessionexpirelistener_sessionstate", "state=\"connected\""));
            assertEquals(0, value(metrics.body(), "kafka_server_sessionexpirelistener_sessionstate", "state=\"lost\""));
            assertEquals(0, value(metrics.body(), "kafka_controller_controllerstats_uncleanleaderelections_total"));
            assertTrue(value(metrics.body(), "kafka_server_zookeeperclientmetrics_zookeeperrequestlatency_seconds_count") > 0);
            assertEquals(404, MetricsScrape.get(url + "/nothing").status());
        }
        int controller = cluster.awaitController();
        await("exactly one active controller in the metrics").atMost(WAIT).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                assertEquals(id == controller ? 1 : 0, value(scrape(cluster.metricsUrl(id)),
                        "kafka_controller_kafkacontroller_activecontrollercount"), "activecontrollercount of broker " + id);
            }
        });
    }

    @Test
    @Order(2)
    void produceCountsOnTheLeaderAndReplicationOnTheFollowers() throws Exception {
        createTopic("traffic", 1, 3);
        int leader = cluster.awaitLeader("traffic", 0);
        String topic = "topic=\"traffic\"";
        double before = value(scrape(cluster.metricsUrl(leader)), "kafka_server_brokertopicmetrics_messagesin_total", topic);
        produce("traffic", 0, 25);

        String leaderText = scrape(cluster.metricsUrl(leader));
        assertEquals(before + 25, value(leaderText, "kafka_server_brokertopicmetrics_messagesin_total", topic));
        double bytesIn = value(leaderText, "kafka_server_brokertopicmetrics_bytesin_total", topic);
        assertTrue(bytesIn > 25 * 10, "bytesin " + bytesIn);
        assertTrue(value(leaderText, "kafka_network_requestmetrics_requests_total", "request=\"Produce\"") > 0);
        assertTrue(value(leaderText, "kafka_network_requestmetrics_totaltime_seconds_count", "request=\"Produce\"") > 0);
        assertTrue(samples(leaderText, "kafka_network_requestmetrics_totaltime_seconds_bucket").keySet().stream()
                .anyMatch(labels -> labels.contains("request=\"Produce\"") && labels.contains("le=\"0.001\"")));
        assertTrue(value(leaderText, "kafka_server_socketservermetrics_connection_count") > 0);
        for (int follower : Set.of(1, 2, 3)) {
            if (follower == leader) {
                continue;
            }
            // A follower appends exactly the leader's batches, so it replicates as many bytes as the leader took in.
            await("broker " + follower + " replicated the bytes of traffic-0").atMost(WAIT).untilAsserted(() -> {
                String text = scrape(cluster.metricsUrl(follower));
                assertEquals(bytesIn, value(text, "kafka_server_brokertopicmetrics_replicationbytesin_total", topic));
                assertEquals(0, value(text, "kafka_server_brokertopicmetrics_messagesin_total", topic));
                assertEquals(before + 25, value(text, "kafka_log_log_logendoffset", topic, "partition=\"0\""));
            });
        }
        assertTrue(value(scrape(cluster.metricsUrl(leader)), "kafka_server_brokertopicmetrics_replicationbytesout_total", topic) >= 2 * bytesIn);
        assertTrue(value(scrape(cluster.metricsUrl(leader)), "kafka_log_log_size", topic, "partition=\"0\"") >= bytesIn);

        // fetch.min.bytes above what the log holds: the fetch is read, found short, waited on and read again;
        // only the response sent counts as bytes out.
        try (KafkaConsumer<String, String> consumer = consumer(null, Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1_000_000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 300))) {
            TopicPartition tp = new TopicPartition("traffic", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            int read = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read < 25 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            assertEquals(25, read);
        }
        assertEquals(bytesIn, value(scrape(cluster.metricsUrl(leader)), "kafka_server_brokertopicmetrics_bytesout_total", topic));
    }

    @Test
    @Order(2)
    void aFetchPartitionErrorIsCountedOnTheLeaderUnderItsName() throws Exception {
        createTopic("out-of-range", 1, 1);
        produce("out-of-range", 0, 3);
        int leader = cluster.awaitLeader("out-of-range", 0);
        String[] labels = {"request=\"FetchConsumer\"", "error=\"OFFSET_OUT_OF_RANGE\""};
        double before = value(scrape(cluster.metricsUrl(leader)), "kafka_network_requestmetrics_errors_total", labels);
        TopicPartition tp = new TopicPartition("out-of-range", 0);
        try (KafkaConsumer<String, String> consumer = consumer(null, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1_000);
            // With auto.offset.reset=none the consumer surfaces the partition's OFFSET_OUT_OF_RANGE instead of resetting.
            await("the consumer told its offset is out of range").atMost(WAIT)
                    .until(() -> {
                        try {
                            consumer.poll(Duration.ofMillis(200));
                            return false;
                        } catch (OffsetOutOfRangeException e) {
                            return true;
                        }
                    });
        }
        assertTrue(value(scrape(cluster.metricsUrl(leader)), "kafka_network_requestmetrics_errors_total", labels) >= before + 1);
    }

    @Test
    @Order(3)
    void leaderAndPartitionCountsMatchTheMetadata() throws Exception {
        createTopic("counts", 6, 2);
        await("leader and partition counts of every broker as the metadata has them").atMost(WAIT).untilAsserted(() -> {
            Map<Integer, Integer> leaders = new HashMap<>();
            Map<Integer, Integer> replicas = new HashMap<>();
            for (TopicDescription topic : admin.describeTopics(admin.listTopics(
                    new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get().values()) {
                for (TopicPartitionInfo p : topic.partitions()) {
                    leaders.merge(p.leader().id(), 1, Integer::sum);
                    p.replicas().forEach(r -> replicas.merge(r.id(), 1, Integer::sum));
                }
            }
            for (int id = 1; id <= 3; id++) {
                String text = scrape(cluster.metricsUrl(id));
                assertEquals((double) leaders.getOrDefault(id, 0), value(text, "kafka_server_replicamanager_leadercount"), "leadercount of " + id);
                assertEquals((double) replicas.getOrDefault(id, 0), value(text, "kafka_server_replicamanager_partitioncount"),
                        "partitioncount of " + id);
            }
        });
    }

    @Test
    @Order(4)
    void lagIsTheEndOffsetMinusTheCommittedOffsetOnTheCoordinator() throws Exception {
        createTopic("lagging", 1, 3);
        produce("lagging", 0, 10);
        TopicPartition tp = new TopicPartition("lagging", 0);
        try (KafkaConsumer<String, String> consumer = consumer("lag-group", Map.of())) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(4)));
        }
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        long committed = admin.listConsumerGroupOffsets("lag-group").partitionsToOffsetAndMetadata().get().get(tp).offset();
        assertEquals(10, end);
        assertEquals(4, committed);
        String labels = "consumergroup=\"lag-group\"";
        await("lag of lag-group on its coordinator").atMost(WAIT).untilAsserted(() -> {
            double lag = 0;
            double current = 0;
            int reporting = 0;
            for (int id = 1; id <= 3; id++) {
                String text = scrape(cluster.metricsUrl(id));
                if (!samples(text, "kafka_consumergroup_lag").keySet().stream().filter(l -> l.contains(labels)).toList().isEmpty()) {
                    reporting++;
                    lag = value(text, "kafka_consumergroup_lag", labels, "topic=\"lagging\"", "partition=\"0\"");
                    current = value(text, "kafka_consumergroup_current_offset", labels, "topic=\"lagging\"", "partition=\"0\"");
                }
            }
            assertEquals(1, reporting, "brokers reporting lag-group (only its coordinator)");
            assertEquals(committed, current);
            assertEquals(end - committed, lag);
        });
    }

    @Test
    @Order(4)
    void lagOfPartitionsWithoutAReplicaOnTheCoordinatorComesFromTheirLeaders() throws Exception {
        createTopic("lagging-rf1", 3, 1);
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            produce("lagging-rf1", p, 6);
            commits.put(new TopicPartition("lagging-rf1", p), new OffsetAndMetadata(p + 1));
        }
        try (KafkaConsumer<String, String> consumer = consumer("lag-rf1", Map.of())) {
            consumer.commitSync(commits);
        }
        String group = "consumergroup=\"lag-rf1\"";
        int[] coordinator = {-1};
        await("lag of every partition of lagging-rf1 on the coordinator").atMost(WAIT).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                String text = scrape(cluster.metricsUrl(id));
                if (samples(text, "kafka_consumergroup_current_offset").keySet().stream().anyMatch(l -> l.contains(group))) {
                    coordinator[0] = id;
                    for (int p = 0; p < 3; p++) {
                        assertEquals(6 - (p + 1), value(text, "kafka_consumergroup_lag", group, "partition=\"" + p + "\""),
                                "lag of lagging-rf1-" + p + " on broker " + id + "\n" + text);
                    }
                }
            }
            assertTrue(coordinator[0] > 0, "no broker reports lag-rf1");
        });
        long remote = IntStream.range(0, 3)
                .filter(p -> cluster.broker(coordinator[0]).replica(new TopicPartition("lagging-rf1", p)).isEmpty()).count();
        assertTrue(remote >= 1, "RF=1 on 3 brokers leaves partitions without a replica on the coordinator " + coordinator[0]);
    }

    @Test
    @Order(5)
    void aDeletedTopicLosesItsSeries() throws Exception {
        createTopic("doomed", 2, 3);
        produce("doomed", 0, 3);
        int leader = cluster.awaitLeader("doomed", 0);
        String text = scrape(cluster.metricsUrl(leader));
        assertTrue(text.contains("kafka_log_log_size{partition=\"1\",topic=\"doomed\"}"), text);
        assertTrue(text.contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"doomed\"}"), text);
        TopicPartition tp = new TopicPartition("doomed", 0);
        try (KafkaConsumer<String, String> consumer = consumer("doomed-group", Map.of())) {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
        }
        // The coordinator keeps the group's offsets of the deleted topic; only the metadata says the topic is gone.
        await("the coordinator reports doomed-group").atMost(WAIT).untilAsserted(() -> assertTrue(
                IntStream.rangeClosed(1, 3).anyMatch(id -> scrapeQuietly(id).contains(
                        "kafka_consumergroup_lag{consumergroup=\"doomed-group\",partition=\"0\",topic=\"doomed\"}"))));
        admin.deleteTopics(List.of("doomed")).all().get(30, TimeUnit.SECONDS);
        await("no series of the deleted topic on any broker").atMost(WAIT).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                assertFalse(scrape(cluster.metricsUrl(id)).contains("topic=\"doomed\""), "broker " + id);
            }
        });
    }

    @Test
    @Order(6)
    void underReplicatedPartitionsFollowAStoppedBrokerAndGoBackToZero() throws Exception {
        createTopic("urp", 3, 3);
        await("all partitions fully replicated").atMost(WAIT).untilAsserted(() -> assertEquals(0, sumOver(Set.of(1, 2, 3),
                "kafka_server_replicamanager_underreplicatedpartitions")));
        // A partition whose only replica is on broker 3 is offline, not under-replicated (no leader counts it).
        int expected = partitionsWithReplicaOn(3, true);
        int offline = partitionsWithReplicaOn(3, false);
        double shrinksBefore = sumOver(Set.of(1, 2, 3), "kafka_server_replicamanager_isrshrinks_total");
        cluster.stop(3);
        await("every partition with a replica on broker 3 under-replicated").atMost(WAIT).untilAsserted(() ->
                assertEquals(expected, sumOver(Set.of(1, 2), "kafka_server_replicamanager_underreplicatedpartitions")));
        await("the controller counts the partitions left without a leader").atMost(WAIT).untilAsserted(() ->
                assertEquals(offline, sumOver(Set.of(1, 2), "kafka_controller_kafkacontroller_offlinepartitionscount")));
        assertTrue(offline >= 1, "lagging-rf1 has a partition on broker 3 only");
        assertTrue(sumOver(Set.of(1, 2), "kafka_server_replicamanager_isrshrinks_total") > shrinksBefore);
        assertEquals(0, sumOver(Set.of(1, 2), "kafka_server_replicamanager_underminisrpartitioncount"));

        double expandsBefore = sumOver(Set.of(1, 2), "kafka_server_replicamanager_isrexpands_total");
        cluster.start(3);
        await("no partition under-replicated after broker 3 is back").atMost(WAIT).untilAsserted(() ->
                assertEquals(0, sumOver(Set.of(1, 2, 3), "kafka_server_replicamanager_underreplicatedpartitions")
                        + sumOver(Set.of(1, 2, 3), "kafka_controller_kafkacontroller_offlinepartitionscount")));
        assertTrue(sumOver(Set.of(1, 2, 3), "kafka_server_replicamanager_isrexpands_total") > expandsBefore);
    }

    private static String scrapeQuietly(int id) {
        try {
            return scrape(cluster.metricsUrl(id));
        } catch (Exception e) {
            throw new IllegalStateException("scraping broker " + id, e);
        }
    }

    private static double sumOver(Set<Integer> brokers, String metric) throws Exception {
        double sum = 0;
        for (int id : brokers) {
            sum += value(scrape(cluster.metricsUrl(id)), metric);
        }
        return sum;
    }

    /** Partitions with a replica on {@code broker} and (replicated) others too, or (not replicated) none. */
    private static int partitionsWithReplicaOn(int broker, boolean replicated) throws Exception {
        int count = 0;
        for (TopicDescription topic : admin.describeTopics(admin.listTopics(
                new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                if (p.replicas().stream().anyMatch(n -> n.id() == broker) && (p.replicas().size() > 1) == replicated) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void createTopic(String topic, int partitions, int replicationFactor) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor))).all().get(30, TimeUnit.SECONDS);
        for (int p = 0; p < partitions; p++) {
            cluster.awaitLeader(topic, p);
        }
    }

    private static void produce(String topic, int partition, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, topic + "-value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
