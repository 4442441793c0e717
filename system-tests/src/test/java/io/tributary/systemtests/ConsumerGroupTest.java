package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups end to end, every member a process of its own ({@link GroupMemberMain}): client-sdk consumers
 * share a topic's partitions, extra members stay idle, groups are independent, a member killed with kill -9 hands
 * its partitions to the survivors without losing a record, three official consumers split the partitions and their
 * commits show in bin/consumer-groups --describe, and client-sdk and official consumers share a group.
 */
class ConsumerGroupTest {

    private static final int PARTITIONS = 6;
    /** Short sessions so a killed member is noticed in seconds (Kafka's group.min.session.timeout.ms is 6 s). */
    private static final String[] FAST_SESSIONS = {"session.timeout.ms=6000", "heartbeat.interval.ms=1000"};
    private static final Duration STEADY = Duration.ofSeconds(120);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @TempDir
    Path dir;

    private String createTopic(String name) throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(name, PARTITIONS);
        return name;
    }

    /** Sends {@code count} records "tag-i" keyed "k-i" and returns the values; every one acknowledged. */
    private List<String> produce(String topic, String tag, int count, long pauseEveryHundredMs) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(cluster.get().bootstrap(), "group-test-" + tag)) {
            for (int i = 0; i < count; i++) {
                String value = tag + "-" + i;
                producer.send(new ProducerRecord<>(topic, "k-" + i, value)).get(30, TimeUnit.SECONDS);
                values.add(value);
                if (pauseEveryHundredMs > 0 && i % 100 == 99) {
                    Thread.sleep(pauseEveryHundredMs); // spread the stream so a kill lands in the middle of it
                }
            }
        }
        return values;
    }

    private static void awaitAllProcessed(GroupMembers members, List<String> values) {
        await("every produced record processed by the group").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> members.processed().stream().map(GroupMembers.Processed::value).collect(Collectors.toSet())
                        .containsAll(values));
    }

    /** Partition of each processed record -> the members that processed records of it. */
    private static Map<Integer, Set<Integer>> readersByPartition(List<GroupMembers.Processed> processed, Set<String> values) {
        Map<Integer, Set<Integer>> readers = new HashMap<>();
        for (GroupMembers.Processed p : processed) {
            if (values.contains(p.value())) {
                readers.computeIfAbsent(p.partition(), k -> new TreeSet<>()).add(p.member());
            }
        }
        return readers;
    }

    @Test
    void threeMembersShareSixPartitionsDisjointlyAndReadEachFromItsOwner() throws Exception {
        String topic = createTopic("three-members");
        try (GroupMembers members = new GroupMembers(dir, cluster.get().bootstrap(), "three", topic, "range", FAST_SESSIONS)) {
            for (int i = 0; i < 3; i++) {
                members.start("sdk");
            }
            Map<Integer, Set<Integer>> assignment = members.awaitSteadyAssignment(PARTITIONS, STEADY);
            for (Set<Integer> partitions : assignment.values()) {
                assertEquals(2, partitions.size(), "range gives 6 partitions to 3 members 2 each: " + assignment);
            }
            List<String> values = produce(topic, "three", 600, 0);
            awaitAllProcessed(members, values);
            Map<Integer, Set<Integer>> readers = readersByPartition(members.processed(), Set.copyOf(values));
            readers.forEach((partition, who) -> {
                assertEquals(1, who.size(), "partition " + partition + " read by one member only: " + readers);
                int member = who.iterator().next();
                assertTrue(assignment.get(member).contains(partition), "partition " + partition + " read by its owner " + assignment);
            });
            assertEquals(PARTITIONS, readers.size(), "records on every partition were read: " + readers);
        }
    }

    @Test
    void threeOfficialConsumersSplitThePartitionsAndTheirCommitsShowInOurDescribe() throws Exception {
        String topic = createTopic("official-three");
        String group = "official-three";
        // Kafka's consumer auto-commits every 5 s by default; every 500 ms keeps the wait for the commits short.
        try (GroupMembers members = new GroupMembers(dir, cluster.get().bootstrap(), group, topic, "range",
                FAST_SESSIONS[0], FAST_SESSIONS[1], "auto.commit.interval.ms=500")) {
            for (int i = 0; i < 3; i++) {
                members.start("official");
            }
            Map<Integer, Set<Integer>> assignment = members.awaitSteadyAssignment(PARTITIONS, STEADY);
            for (Set<Integer> partitions : assignment.values()) {
                assertEquals(2, partitions.size(), "range gives 6 partitions to 3 official consumers 2 each: " + assignment);
            }
            List<String> values = produce(topic, "official", 600, 0);
            awaitAllProcessed(members, values);
            Map<Integer, Set<Integer>> readers = readersByPartition(members.processed(), Set.copyOf(values));
            readers.forEach((partition, who) -> assertEquals(Set.of(ownerOf(assignment, partition)), who,
                    "partition " + partition + " read by its owner only: " + readers));

            // The members are still in the group: bin/consumer-groups --describe shows their commits, zero lag,
            // and each partition against the member that owns it.
            GroupOffsetsTable[] table = new GroupOffsetsTable[1];
            await("bin/consumer-groups --describe shows every partition committed at its log end").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        ExternalProcess.Result r = ourGroupsTool("--describe", "--group", group).assertSuccess();
                        table[0] = GroupOffsetsTable.parse(r.stdout(), topic);
                        return table[0].rows().size() == PARTITIONS && table[0].rows().values().stream()
                                .allMatch(row -> row.current() != null && row.current().equals(row.logEnd()));
                    });
            GroupOffsetsTable described = table[0];
            assertEquals(600, described.totalCurrent(), "the commits cover the 600 records: " + described);
            assertEquals(0, described.totalLag(), described.toString());
            Map<String, Set<Integer>> byMember = new HashMap<>();
            for (GroupOffsetsTable.Row row : described.rows().values()) {
                assertEquals(group, row.group());
                assertEquals(0L, row.lag(), row.toString());
                assertTrue(!row.consumerId().equals("-"), "a live member owns partition " + row.partition() + ": " + row);
                byMember.computeIfAbsent(row.consumerId(), k -> new TreeSet<>()).add(row.partition());
            }
            assertEquals(Set.copyOf(assignment.values()), Set.copyOf(byMember.values()),
                    "--describe shows the members' own assignments: " + byMember + " versus " + assignment);
        }
    }

    private static int ownerOf(Map<Integer, Set<Integer>> assignment, int partition) {
        return assignment.entrySet().stream().filter(e -> e.getValue().contains(partition)).findFirst().orElseThrow().getKey();
    }

    /** bin/consumer-groups (its main class, from the test classpath), logging to stderr so stdout is its table. */
    private ExternalProcess.Result ourGroupsTool(String... args) throws Exception {
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
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), "io.tributary.cli.ConsumerGroupsCommand",
                "--bootstrap-server", cluster.get().bootstrap()));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, null, dir);
    }

    @Test
    void withSevenMembersOnSixPartitionsOneIsIdle() throws Exception {
        String topic = createTopic("seven-members");
        try (GroupMembers members = new GroupMembers(dir, cluster.get().bootstrap(), "seven", topic, "range", FAST_SESSIONS)) {
            for (int i = 0; i < 7; i++) {
                members.start("sdk");
            }
            Map<Integer, Set<Integer>> assignment = members.awaitSteadyAssignment(PARTITIONS, STEADY);
            assertEquals(7, assignment.size());
            assertEquals(1, assignment.values().stream().filter(Set::isEmpty).count(), "exactly one idle member: " + assignment);
            List<String> values = produce(topic, "seven", 300, 0);
            awaitAllProcessed(members, values);
            int idle = assignment.entrySet().stream().filter(e -> e.getValue().isEmpty()).findFirst().orElseThrow().getKey();
            assertTrue(members.processed().stream().noneMatch(p -> p.member() == idle), "the idle member read nothing");
        }
    }

    @Test
    void twoGroupsEachReadEveryRecord() throws Exception {
        String topic = createTopic("two-groups");
        try (GroupMembers blue = new GroupMembers(dir, cluster.get().bootstrap(), "blue", topic, "range", FAST_SESSIONS);
             GroupMembers green = new GroupMembers(dir, cluster.get().bootstrap(), "green", topic, "roundrobin", FAST_SESSIONS)) {
            blue.start("sdk");
            blue.start("sdk");
            green.start("sdk");
            green.start("sdk");
            blue.awaitSteadyAssignment(PARTITIONS, STEADY);
            green.awaitSteadyAssignment(PARTITIONS, STEADY);
            List<String> values = produce(topic, "both", 600, 0);
            awaitAllProcessed(blue, values);
            awaitAllProcessed(green, values);
            for (GroupMembers group : List.of(blue, green)) {
                List<String> seen = group.processed().stream().map(GroupMembers.Processed::value).filter(Set.copyOf(values)::contains).toList();
                assertEquals(values.size(), seen.size(), "each group reads each record once in a steady group");
            }
        }
    }

    @Test
    void aKilledMembersPartitionsMoveToTheSurvivorsAndNoRecordIsMissed() throws Exception {
        String topic = createTopic("kill-member");
        try (GroupMembers members = new GroupMembers(dir, cluster.get().bootstrap(), "killers", topic, "range", FAST_SESSIONS)) {
            for (int i = 0; i < 3; i++) {
                members.start("sdk");
            }
            Map<Integer, Set<Integer>> before = members.awaitSteadyAssignment(PARTITIONS, STEADY);
            int victim = 1;
            Set<Integer> victimPartitions = before.get(victim);

            List<String> values = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Exception> writeFailure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    values.addAll(produce(topic, "stream", 2000, 150));
                } catch (Exception e) {
                    writeFailure.set(e);
                }
            });
            writer.start();
            await("the victim processed some records").atMost(Duration.ofSeconds(60))
                    .until(() -> members.processed().stream().anyMatch(p -> p.member() == victim));
            members.kill(victim);
            writer.join();
            if (writeFailure.get() != null) {
                throw new AssertionError("producing the stream failed", writeFailure.get());
            }
            assertEquals(2000, values.size());

            Map<Integer, Set<Integer>> after = members.awaitSteadyAssignment(PARTITIONS, STEADY);
            assertEquals(Set.of(0, 2), after.keySet(), "only the survivors own partitions: " + members.describe());
            Set<Integer> moved = new HashSet<>();
            after.values().forEach(moved::addAll);
            assertTrue(moved.containsAll(victimPartitions), "the victim's partitions " + victimPartitions + " moved: " + after);

            awaitAllProcessed(members, values);
            List<GroupMembers.Processed> processed = members.processed();
            Map<String, Long> times = processed.stream().collect(Collectors.groupingBy(GroupMembers.Processed::value, Collectors.counting()));
            long duplicates = values.stream().filter(v -> times.getOrDefault(v, 0L) > 1).count();
            System.out.printf("kill -9 of a group member: %d records produced, all processed, %d processed more than once "
                    + "(at-least-once allows it: the records after the victim's last commit)%n", values.size(), duplicates);
            assertTrue(times.keySet().containsAll(values), "the union of what the group processed covers every record");
        }
    }

    @Test
    void clientSdkAndOfficialConsumersShareAGroup() throws Exception {
        for (String assignor : List.of("range", "cooperative-sticky")) {
            String topic = createTopic("mixed-" + assignor);
            try (GroupMembers members = new GroupMembers(dir, cluster.get().bootstrap(), "mixed-" + assignor, topic, assignor,
                    FAST_SESSIONS)) {
                members.start("official");
                members.start("sdk");
                members.start("official");
                members.start("sdk");
                Map<Integer, Set<Integer>> assignment = members.awaitSteadyAssignment(PARTITIONS, STEADY);
                for (Set<Integer> partitions : assignment.values()) {
                    assertTrue(partitions.size() == 1 || partitions.size() == 2, assignor + ": 6 over 4 members: " + assignment);
                }
                List<String> values = produce(topic, "mixed", 400, 0);
                awaitAllProcessed(members, values);
                Set<Integer> readers = members.processed().stream().map(GroupMembers.Processed::member).collect(Collectors.toSet());
                assertEquals(Set.of(0, 1, 2, 3), readers, assignor + ": both kinds of member read: " + members.describe());
            }
        }
    }
}
