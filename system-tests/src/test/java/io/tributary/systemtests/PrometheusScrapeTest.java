package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.PrometheusProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) scrapes the three broker processes every 2 s, and
 * its query API sees what the cluster does: the partition count of a new topic, every partition under-replicated
 * once a broker is killed with SIGKILL, and none once it is back. Prometheus marks a dead target's series stale
 * at its first failed scrape, so the sums cover the live brokers only, as an operator's dashboard would.
 * Consumer lag as Prometheus has it equals what bin/consumer-groups --describe prints.
 */
class PrometheusScrapeTest {

    private static final String TOPIC = "scraped";
    private static final int PARTITIONS = 6;
    private static final int REPLICATION_FACTOR = 3;
    private static final Duration WAIT = Duration.ofSeconds(45);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3)
            // A follower that is gone leaves the ISR at the next check (every half of this), not after 30 s.
            .brokerSetting("replica.lag.time.max.ms", "4000")
            // A small __consumer_offsets (RF 3 like every topic here) keeps the lag test's group quick to set up.
            .brokerSetting("offsets.topic.num.partitions", "3"));

    private static PrometheusProcess prometheus;

    @BeforeAll
    static void startPrometheus() {
        ClusterProcesses c = cluster.get();
        prometheus = PrometheusProcess.start(c.workDir().resolve("prometheus"), c.brokerIds().stream().sorted()
                .map(id -> URI.create(c.metricsUrl(id)).getAuthority()).toList());
        awaitQuery("sum(up{job=\"tributary\"})", 3);
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void partitionCountsAndUnderReplicatedPartitionsFollowAKilledBroker() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) REPLICATION_FACTOR))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(TOPIC, PARTITIONS);
        // The other test may have run first: count every topic's partitions (all have RF=3, internal ones too).
        int partitions = partitionsInCluster();
        assertTrue(partitions >= PARTITIONS);

        awaitQuery("sum(kafka_server_replicamanager_partitioncount)", partitions * REPLICATION_FACTOR);
        awaitQuery("sum(kafka_server_replicamanager_leadercount)", partitions);
        awaitQuery("sum(kafka_controller_kafkacontroller_activecontrollercount)", 1);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", 0);

        // With RF=3 on 3 brokers every partition has a replica on the killed broker.
        int victim = c.awaitLeader(TOPIC, 0);
        c.kill(victim);
        awaitQuery("sum(up{job=\"tributary\"})", 2);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", partitions);
        awaitQuery("sum(kafka_server_replicamanager_leadercount)", partitions);

        c.start(victim);
        awaitQuery("sum(up{job=\"tributary\"})", 3);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", 0);
        awaitQuery("sum(kafka_server_replicamanager_partitioncount)", partitions * REPLICATION_FACTOR);
    }

    private static int partitionsInCluster() throws Exception {
        Admin admin = cluster.get().admin();
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        int partitions = 0;
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            assertTrue(topic.partitions().stream().allMatch(p -> p.replicas().size() == REPLICATION_FACTOR), topic.toString());
            partitions += topic.partitions().size();
        }
        return partitions;
    }

    @Test
    void consumerLagInPrometheusIsWhatConsumerGroupsDescribeShows() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "lagged";
        c.admin().createTopics(List.of(new NewTopic(topic, 3, (short) REPLICATION_FACTOR))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(topic, 3);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, null, "record-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "prom-lag", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(5), new TopicPartition(topic, 2), new OffsetAndMetadata(10)));
        }

        ExternalProcess.Result described = ExternalProcess.run(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.tributary.cli.ConsumerGroupsCommand", "--bootstrap-server", c.bootstrap(), "--describe", "--group", "prom-lag"),
                null, c.workDir()).assertSuccess();
        GroupOffsetsTable table = GroupOffsetsTable.parse(described.stdout(), topic);
        assertEquals(3, table.rows().size(), described.stdout());
        assertEquals(7 + 5 + 0, table.totalLag(), described.stdout());
        for (GroupOffsetsTable.Row row : table.rows().values()) {
            awaitQuery("kafka_consumergroup_lag{consumergroup=\"prom-lag\",topic=\"" + topic + "\",partition=\"" + row.partition()
                    + "\"}", row.lag());
        }
        awaitQuery("sum(kafka_consumergroup_current_offset{consumergroup=\"prom-lag\"})", table.totalCurrent());
    }

    private static void awaitQuery(String promql, double expected) {
        double[] last = {Double.NaN};
        try {
            await(promql + " == " + expected + " in Prometheus").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last[0] = prometheus.query(promql).orElse(Double.NaN);
                        return last[0] == expected;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(promql + " stayed at " + last[0] + ", expected " + expected + "\n"
                    + cluster.get().diagnostics() + "\n----- prometheus -----\n" + prometheus.output(), e);
        }
        assertEquals(expected, last[0]);
    }
}
