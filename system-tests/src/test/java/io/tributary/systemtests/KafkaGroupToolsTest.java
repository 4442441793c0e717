package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka 4.1's own group tools, unchanged, as separate processes against the cluster: the console consumer
 * reads with a group and commits; kafka-consumer-groups lists, describes, resets and deletes; the consumer
 * perf tool runs with a group; kcat's group commits show in bin/consumer-groups, whose lag and resets are
 * checked against what was produced and read. Each expectation was first checked against Apache Kafka.
 */
class KafkaGroupToolsTest {

    private static final String GROUP_COMMAND = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";
    private static final String OUR_GROUP_TOOL = "io.tributary.cli.ConsumerGroupsCommand";
    /** A reset plan line: GROUP TOPIC PARTITION NEW-OFFSET. */
    private static final Pattern NEW_OFFSET = Pattern.compile("(?m)^(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @TempDir
    Path dir;

    @Test
    void consoleConsumerCommitsAndKafkasGroupToolListsDescribesResetsAndDeletes() throws Exception {
        String topic = "console-orders";
        String group = "console-group";
        createTopic(topic, 3);
        produce(topic, 0, 300);

        assertEquals(values(0, 300), consume(topic, group, 300), "the console consumer reads every record once");

        assertTrue(kafkaGroups("--list").stdout().lines().anyMatch(group::equals), "--list names the group");
        GroupOffsetsTable described = GroupOffsetsTable.parse(kafkaGroups("--describe", "--group", group).stdout(), topic);
        assertEquals(Set.of(0, 1, 2), described.rows().keySet(), "a row per partition: " + described);
        for (GroupOffsetsTable.Row row : described.rows().values()) {
            assertEquals(row.logEnd(), row.current(), "the consumer committed what it read: " + row);
            assertEquals(0L, row.lag(), row.toString());
            assertEquals("-", row.consumerId(), "the console consumer has left: " + row);
        }
        assertEquals(300, described.totalCurrent());

        Map<Integer, Long> earliest = newOffsets(kafkaGroups("--reset-offsets", "--group", group, "--topic", topic,
                "--to-earliest", "--execute").stdout(), group, topic);
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), earliest);
        GroupOffsetsTable reset = GroupOffsetsTable.parse(kafkaGroups("--describe", "--group", group).stdout(), topic);
        assertEquals(0, reset.totalCurrent(), reset.toString());
        assertEquals(300, reset.totalLag(), "after the reset every record is unread again: " + reset);

        // Past the log end: Kafka's tool clamps to the log end offset.
        Map<Integer, Long> clamped = newOffsets(kafkaGroups("--reset-offsets", "--group", group, "--topic", topic + ":0",
                "--to-offset", "1000000", "--execute").stdout(), group, topic);
        assertEquals(Map.of(0, described.rows().get(0).logEnd()), clamped);
        assertEquals(described.rows().get(0).logEnd(),
                GroupOffsetsTable.parse(kafkaGroups("--describe", "--group", group).stdout(), topic).rows().get(0).current());

        assertTrue(kafkaGroups("--delete", "--group", group).stdout()
                .contains("Deletion of requested consumer groups ('" + group + "') was successful."));
        assertTrue(kafkaGroups("--list").stdout().lines().noneMatch(group::equals), "a deleted group is not listed");
        ExternalProcess.Result gone = ourGroups("--describe", "--group", group);
        assertEquals(1, gone.exitCode(), gone.stderr());
        assertTrue(gone.stderr().contains("Consumer group '" + group + "' does not exist."), gone.stderr());
    }

    @Test
    void ourDescribeShowsTheLagOfUnreadRecordsAndOurResetsMoveTheGroup() throws Exception {
        String topic = "lag-orders";
        String group = "lag-group";
        createTopic(topic, 3);
        produce(topic, 0, 300);
        assertEquals(values(0, 300), consume(topic, group, 300));
        produce(topic, 300, 1_000);

        GroupOffsetsTable ours = GroupOffsetsTable.parse(ourGroups("--describe", "--group", group).assertSuccess().stdout(), topic);
        assertEquals(Set.of(0, 1, 2), ours.rows().keySet(), ours.toString());
        assertEquals(300, ours.totalCurrent(), "the group read the first 300: " + ours);
        assertEquals(1_000, ours.totalLag(), "the 1,000 records produced since are the lag: " + ours);
        long logEnds = 0;
        for (GroupOffsetsTable.Row row : ours.rows().values()) {
            assertEquals(row.logEnd() - row.current(), row.lag(), row.toString());
            logEnds += row.logEnd();
        }
        assertEquals(1_300, logEnds);
        assertEquals(ours.rows(), GroupOffsetsTable.parse(kafkaGroups("--describe", "--group", group).stdout(), topic).rows(),
                "Kafka's tool shows the same offsets and lag");

        Map<Integer, Long> dryRun = newOffsets(ourGroups("--reset-offsets", "--group", group, "--topic", topic,
                "--shift-by", "-10", "--dry-run").assertSuccess().stdout(), group, topic);
        for (GroupOffsetsTable.Row row : ours.rows().values()) {
            assertEquals(Math.max(0, row.current() - 10), dryRun.get(row.partition()), "shift-by plan for " + row);
        }
        assertEquals(ours.rows(), GroupOffsetsTable.parse(ourGroups("--describe", "--group", group).assertSuccess().stdout(), topic)
                .rows(), "a dry run commits nothing");

        Map<Integer, Long> latest = newOffsets(ourGroups("--reset-offsets", "--group", group, "--all-topics",
                "--to-latest", "--execute").assertSuccess().stdout(), group, topic);
        GroupOffsetsTable caughtUp = GroupOffsetsTable.parse(ourGroups("--describe", "--group", group).assertSuccess().stdout(), topic);
        assertEquals(0, caughtUp.totalLag(), caughtUp.toString());
        for (GroupOffsetsTable.Row row : caughtUp.rows().values()) {
            assertEquals(row.logEnd(), latest.get(row.partition()));
            assertEquals(row.logEnd(), row.current());
        }

        ourGroups("--reset-offsets", "--group", group, "--topic", topic + ":1", "--to-offset", "0", "--execute").assertSuccess();
        GroupOffsetsTable partly = GroupOffsetsTable.parse(kafkaGroups("--describe", "--group", group).stdout(), topic);
        assertEquals(0L, partly.rows().get(1).current(), partly.toString());
        assertEquals(caughtUp.rows().get(1).logEnd(), partly.rows().get(1).lag(), "partition 1 is unread again");
        assertEquals(caughtUp.rows().get(0).current(), partly.rows().get(0).current(), "other partitions keep their offsets");

        ExternalProcess.Result unknownTopic = ourGroups("--reset-offsets", "--group", group, "--topic", "no-such-topic",
                "--to-earliest", "--execute");
        assertEquals(1, unknownTopic.exitCode(), unknownTopic.stderr());
        assertTrue(unknownTopic.stderr().contains("UNKNOWN_TOPIC_OR_PARTITION"), unknownTopic.stderr());

        ourGroups("--delete", "--group", group).assertSuccess();
        assertTrue(ourGroups("--list").assertSuccess().stdout().lines().noneMatch(group::equals));
    }

    @Test
    void aGroupWithAMemberIsNeitherResetNorDeletedByEitherTool() throws Exception {
        String topic = "member-orders";
        String group = "member-group";
        createTopic(topic, 2);
        Process member = startConsoleConsumer(topic, group);
        try {
            String members = awaitMember(group);
            assertTrue(members.contains("console-consumer"), "the member's client id: " + members);
            assertTrue(members.contains(topic + ":0,1"), "one member holds both partitions: " + members);
            assertTrue(ourGroups("--describe", "--group", group, "--state").assertSuccess().stdout().contains("Stable"));

            ExternalProcess.Result ourReset = ourGroups("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute");
            assertEquals(1, ourReset.exitCode(), ourReset.stderr());
            assertTrue(ourReset.stderr().contains("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is Stable."), ourReset.stderr());
            ExternalProcess.Result kafkaReset = kafkaGroups("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute");
            assertTrue(kafkaReset.stdout().contains("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is Stable."), kafkaReset.stdout());

            ExternalProcess.Result ourDelete = ourGroups("--delete", "--group", group);
            assertEquals(1, ourDelete.exitCode(), ourDelete.stderr());
            assertTrue(ourDelete.stderr().contains("NON_EMPTY_GROUP"), ourDelete.stderr());
            assertTrue(kafkaGroups("--delete", "--group", group).stdout().contains("GroupNotEmptyException"));
        } finally {
            member.destroy(); // SIGTERM: the console consumer leaves the group on its way out
            member.waitFor(30, TimeUnit.SECONDS);
        }
        // The group is empty once the coordinator has processed the LeaveGroup.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ExternalProcess.Result delete = ourGroups("--delete", "--group", group);
        while (delete.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            delete = ourGroups("--delete", "--group", group);
        }
        delete.assertSuccess();
        assertTrue(delete.stdout().contains("Deletion of requested consumer groups ('" + group + "') was successful."));
    }

    @Test
    void consumerPerfTestRunsWithAGroupAndCommitsWhatItRead() throws Exception {
        String topic = "perf-orders";
        String group = "perf-group";
        createTopic(topic, 3);
        produce(topic, 0, 10_000);

        ExternalProcess.Result perf = kafkaTool(CONSUMER_PERFORMANCE, "--bootstrap-server", bootstrap(), "--topic", topic,
                "--group", group, "--messages", "10000", "--timeout", "60000").assertSuccess();
        List<String> lines = perf.stdout().lines().filter(l -> !l.isBlank()).toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("start.time")).findFirst().orElseThrow(
                () -> new AssertionError("no header in:\n" + perf.stdout())));
        List<String> headerColumns = List.of(lines.get(header).split(",\\s*"));
        String[] figures = lines.get(header + 1).split(",\\s*");
        assertEquals("10000", figures[headerColumns.indexOf("data.consumed.in.nMsg")], perf.stdout());

        GroupOffsetsTable committed = GroupOffsetsTable.parse(ourGroups("--describe", "--group", group).assertSuccess().stdout(), topic);
        assertEquals(10_000, committed.totalCurrent(), "the perf tool commits as it closes: " + committed);
        assertEquals(0, committed.totalLag(), committed.toString());
    }

    @Test
    void kcatGroupConsumesAndItsCommitsShowInOurDescribe() throws Exception {
        String topic = "kcat-orders";
        String group = "kcat-group";
        createTopic(topic, 3);
        produce(topic, 0, 200);

        ExternalProcess.Result kcat = Kcat.locate(dir).run(null, "-b", bootstrap(), "-G", group,
                "-X", "auto.offset.reset=earliest", "-e", "-q", topic).assertSuccess();
        assertEquals(values(0, 200), new HashSet<>(kcat.stdout().lines().toList()), "kcat -G reads every record");

        GroupOffsetsTable committed = GroupOffsetsTable.parse(ourGroups("--describe", "--group", group).assertSuccess().stdout(), topic);
        assertEquals(Set.of(0, 1, 2), committed.rows().keySet(), committed.toString());
        for (GroupOffsetsTable.Row row : committed.rows().values()) {
            assertNotNull(row.logEnd(), row.toString());
            assertEquals(row.logEnd(), row.current(), "librdkafka committed its position on close: " + row);
        }
        assertEquals(200, committed.totalCurrent());
    }

    // --- the cluster and the tools ---

    private String bootstrap() {
        return cluster.get().bootstrap();
    }

    private void createTopic(String topic, int partitions) throws Exception {
        cluster.get().admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        cluster.get().awaitLeaders(topic, partitions);
    }

    /** Records value-from .. value-(from+count-1), keyed so they spread over every partition. */
    private void produce(String topic, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(bootstrap(), "group-tools-producer")) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Set<String> values(int from, int count) {
        Set<String> values = new HashSet<>();
        for (int i = from; i < from + count; i++) {
            values.add("value-" + i);
        }
        return values;
    }

    /** kafka-console-consumer --group: reads {@code count} records from the beginning, commits and leaves. */
    private Set<String> consume(String topic, String group, int count) throws Exception {
        ExternalProcess.Result result = kafkaTool(CONSOLE_CONSUMER, "--bootstrap-server", bootstrap(), "--topic", topic,
                "--group", group, "--from-beginning", "--max-messages", String.valueOf(count), "--timeout-ms", "60000",
                "--consumer-property", "group.protocol=classic").assertSuccess();
        List<String> lines = result.stdout().lines().toList();
        assertEquals(count, lines.size(), "records printed:\n" + result.stderr());
        return new HashSet<>(lines);
    }

    private Process startConsoleConsumer(String topic, String group) throws IOException {
        List<String> command = javaCommand(CONSOLE_CONSUMER);
        command.addAll(List.of("--bootstrap-server", bootstrap(), "--topic", topic, "--group", group,
                "--timeout-ms", "120000", "--consumer-property", "group.protocol=classic"));
        return new ProcessBuilder(command).redirectOutput(dir.resolve("member.out").toFile())
                .redirectError(dir.resolve("member.err").toFile()).start();
    }

    /** Polls our --describe --members until the group has a member with an assignment; returns that output. */
    private String awaitMember(String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            ExternalProcess.Result r = ourGroups("--describe", "--group", group, "--members");
            last = r.stdout() + r.stderr();
            if (r.exitCode() == 0 && r.stdout().lines().anyMatch(l -> l.startsWith(group) && !l.trim().endsWith("-"))) {
                return r.stdout();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("group " + group + " got no member with an assignment; last output:\n" + last
                + "\nconsumer stderr:\n" + Files.readString(dir.resolve("member.err")));
    }

    /** The NEW-OFFSET column of a reset's plan, by partition. */
    private static Map<Integer, Long> newOffsets(String output, String group, String topic) {
        Map<Integer, Long> offsets = new TreeMap<>();
        Matcher m = NEW_OFFSET.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(group) && m.group(2).equals(topic)) {
                offsets.put(Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)));
            }
        }
        assertFalse(offsets.isEmpty(), "no NEW-OFFSET rows in:\n" + output);
        return offsets;
    }

    /** Kafka's kafka-consumer-groups; it exits 0 even when it prints an error, so callers check the text. */
    private ExternalProcess.Result kafkaGroups(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap()));
        all.addAll(List.of(args));
        return kafkaTool(GROUP_COMMAND, all.toArray(String[]::new));
    }

    /** bin/consumer-groups: the same main class, run from the test classpath. */
    private ExternalProcess.Result ourGroups(String... args) throws Exception {
        List<String> command = javaCommand(OUR_GROUP_TOOL);
        command.addAll(List.of("--bootstrap-server", bootstrap()));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, null, dir);
    }

    private ExternalProcess.Result kafkaTool(String mainClass, String... args) throws Exception {
        List<String> command = javaCommand(mainClass);
        command.addAll(List.of(args));
        return ExternalProcess.run(command, null, dir);
    }

    /**
     * A JVM on the test classpath (Kafka's tools, kafka-clients 4.1, the cli) whose logging goes to stderr at
     * WARN, so that stdout holds only what the tool prints.
     */
    private List<String> javaCommand(String mainClass) throws IOException {
        Path logback = dir.resolve("logback-tools.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, """
                    <configuration>
                      <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="STDERR"/></root>
                    </configuration>
                    """);
        }
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), mainClass));
    }
}
