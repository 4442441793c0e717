package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own 4.1 command-line tools, unchanged, as separate processes against a Tributary cluster of broker
 * processes: kafka-topics (--describe, --alter --partitions), kafka-configs (--describe, --alter), kafka-delete-records,
 * kafka-log-dirs and kafka-get-offsets. Each run's output is checked for what Kafka prints against its own brokers.
 * Tributary's bin/topics --alter and bin/configs run here too.
 */
class KafkaAdminToolsTest {

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @TempDir
    Path dir;

    /** Runs a main class from the test classpath (Kafka's tools, or Tributary's cli) in its own JVM. */
    private ExternalProcess.Result tool(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, null, dir);
    }

    private void produce(String bootstrap, String topic, int partition, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get();
            }
        }
    }

    @Test
    void kafkaTopicsDescribesAndAddsPartitions() throws Exception {
        ClusterProcesses c = cluster.get();
        String bootstrap = c.bootstrap();
        tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create", "--topic", "tools-topics",
                "--partitions", "2", "--replication-factor", "2").assertSuccess();
        c.awaitLeaders("tools-topics", 2);

        tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--alter", "--topic", "tools-topics",
                "--partitions", "5").assertSuccess();
        c.awaitLeaders("tools-topics", 5);
        String described = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--describe",
                "--topic", "tools-topics").assertSuccess().stdout();
        assertTrue(described.contains("PartitionCount: 5"), described);
        assertTrue(described.contains("ReplicationFactor: 2"), described);
        Matcher partitions = Pattern.compile("Partition: (\\d+)\\s+Leader: (\\d+)\\s+Replicas: (\\d+),(\\d+)\\s+Isr: ").matcher(described);
        List<Integer> seen = new ArrayList<>();
        while (partitions.find()) {
            seen.add(Integer.parseInt(partitions.group(1)));
        }
        assertEquals(List.of(0, 1, 2, 3, 4), seen, described);

        ExternalProcess.Result shrink = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap,
                "--alter", "--topic", "tools-topics", "--partitions", "3");
        assertTrue(shrink.exitCode() != 0 && (shrink.stdout() + shrink.stderr()).contains("InvalidPartitionsException"),
                shrink.stdout() + shrink.stderr());

        // Tributary's own tool grows it further, and the producer's partitioner sees the new partition.
        tool("io.tributary.cli.TopicsCommand", "--bootstrap-server", bootstrap, "--alter", "--topic", "tools-topics",
                "--partitions", "6").assertSuccess();
        c.awaitLeaders("tools-topics", 6);
        produce(bootstrap, "tools-topics", 5, 3);
        String offsets = tool("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic",
                "tools-topics", "--time", "-1").assertSuccess().stdout();
        assertTrue(offsets.lines().anyMatch("tools-topics:5:3"::equals), offsets);
        assertTrue(offsets.lines().anyMatch("tools-topics:0:0"::equals), offsets);
    }

    @Test
    void kafkaConfigsDescribesAndAltersTopicAndBrokerConfigs() throws Exception {
        ClusterProcesses c = cluster.get();
        String bootstrap = c.bootstrap();
        tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create", "--topic", "tools-configs",
                "--partitions", "1", "--replication-factor", "3").assertSuccess();
        c.awaitLeaders("tools-configs", 1);

        String configs = "kafka.admin.ConfigCommand";
        tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name", "tools-configs",
                "--alter", "--add-config", "retention.ms=60000,segment.bytes=1048576").assertSuccess();
        String described = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name",
                "tools-configs", "--describe").assertSuccess().stdout();
        assertTrue(described.contains("retention.ms=60000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000, "
                + "DEFAULT_CONFIG:log.retention.ms=604800000}"), described);
        assertTrue(described.contains("segment.bytes=1048576"), described);

        tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name", "tools-configs",
                "--alter", "--delete-config", "segment.bytes").assertSuccess();
        described = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name",
                "tools-configs", "--describe").assertSuccess().stdout();
        assertTrue(!described.contains("segment.bytes") && described.contains("retention.ms=60000"), described);

        ExternalProcess.Result bad = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name",
                "tools-configs", "--alter", "--add-config", "retention.ms=soon");
        assertTrue(bad.exitCode() != 0 && (bad.stdout() + bad.stderr()).contains("retention.ms"), bad.stdout() + bad.stderr());

        // Broker configs: a cluster-wide dynamic default, then a broker's full list shows where it comes from.
        tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "brokers", "--entity-default", "--alter",
                "--add-config", "log.retention.bytes=1073741824").assertSuccess();
        String defaults = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "brokers", "--entity-default",
                "--describe").assertSuccess().stdout();
        assertTrue(defaults.contains("log.retention.bytes=1073741824"), defaults);
        String broker = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "brokers", "--entity-name", "1",
                "--describe", "--all").assertSuccess().stdout();
        assertTrue(broker.contains("log.retention.bytes=1073741824 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:"
                + "log.retention.bytes=1073741824"), broker);
        ExternalProcess.Result staticOnly = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "brokers",
                "--entity-name", "1", "--alter", "--add-config", "num.io.threads=2");
        assertTrue(staticOnly.exitCode() != 0, staticOnly.stdout() + staticOnly.stderr());

        // Without an entity name the tool lists every broker (DescribeCluster) and every topic.
        String allBrokers = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "brokers", "--describe")
                .assertSuccess().stdout();
        for (int id : c.brokerIds()) {
            assertTrue(allBrokers.contains("Dynamic configs for broker " + id + " are:"), allBrokers);
        }
        String allTopics = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--describe")
                .assertSuccess().stdout();
        assertTrue(allTopics.contains("Dynamic configs for topic tools-configs are:"), allTopics);

        // Tributary's bin/configs reads and writes the same.
        String ours = tool("io.tributary.cli.ConfigsCommand", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "tools-configs", "--describe").assertSuccess().stdout();
        assertTrue(ours.contains("retention.ms=60000 source=DYNAMIC_TOPIC_CONFIG"), ours);
        tool("io.tributary.cli.ConfigsCommand", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "tools-configs", "--alter", "--add-config", "max.message.bytes=2000000",
                "--delete-config", "retention.ms").assertSuccess();
        described = tool(configs, "--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name",
                "tools-configs", "--describe").assertSuccess().stdout();
        assertTrue(described.contains("max.message.bytes=2000000") && !described.contains("retention.ms"), described);
    }

    @Test
    void kafkaDeleteRecordsLogDirsAndGetOffsets() throws Exception {
        ClusterProcesses c = cluster.get();
        String bootstrap = c.bootstrap();
        tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create", "--topic", "tools-records",
                "--partitions", "2", "--replication-factor", "2").assertSuccess();
        c.awaitLeaders("tools-records", 2);
        produce(bootstrap, "tools-records", 0, 20);

        Path offsets = dir.resolve("delete.json");
        Files.writeString(offsets, "{\"partitions\":[{\"topic\":\"tools-records\",\"partition\":0,\"offset\":12}],\"version\":1}");
        String deleted = tool("org.apache.kafka.tools.DeleteRecordsCommand", "--bootstrap-server", bootstrap,
                "--offset-json-file", offsets.toString()).assertSuccess().stdout();
        assertTrue(deleted.contains("partition: tools-records-0\tlow_watermark: 12"), deleted);

        String earliest = tool("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic",
                "tools-records", "--time", "-2").assertSuccess().stdout();
        assertEquals(List.of("tools-records:0:12", "tools-records:1:0"), earliest.lines().sorted().toList(), earliest);
        String latest = tool("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic",
                "tools-records", "--time", "-1").assertSuccess().stdout();
        assertEquals(List.of("tools-records:0:20", "tools-records:1:0"), latest.lines().sorted().toList(), latest);

        String logDirs = tool("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", bootstrap, "--describe",
                "--topic-list", "tools-records").assertSuccess().stdout();
        String json = logDirs.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(logDirs));
        for (int broker : c.brokerIds()) {
            assertTrue(json.contains("\"broker\":" + broker), json);
        }
        assertTrue(json.contains("\"partition\":\"tools-records-0\""), json);
        assertTrue(json.contains("\"isFuture\":false"), json);
        Matcher size = Pattern.compile("\"partition\":\"tools-records-0\",\"size\":(\\d+)").matcher(json);
        assertTrue(size.find() && Long.parseLong(size.group(1)) > 0, json);
    }
}
