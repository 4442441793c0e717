package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's tour, with Tributary's own command-line tools as separate processes: create a topic
 * and see its partitions spread over the brokers, produce keyed lines, consume them back with their
 * partitions and offsets, list and delete.
 */
class CliToolsTest {

    private static final Pattern DESCRIBED_PARTITION =
            Pattern.compile("Partition: (\\d+)\\s+Leader: (\\d+)\\s+LeaderEpoch: \\d+\\s+Replicas: (\\d+)\\s+Isr: (\\d+)");
    private static final Pattern CONSUMED = Pattern.compile("Partition:(\\d+)\\tOffset:(\\d+)\\t([^\\t]*)\\t(.*)");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @TempDir
    Path dir;

    private ExternalProcess.Result tool(String mainClass, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.tributary.cli." + mainClass));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, stdin, dir);
    }

    @Test
    void createDescribeProduceConsumeListDelete() throws Exception {
        ClusterProcesses c = cluster.get();
        String bootstrap = c.bootstrap();
        String topic = "kafkaTest";

        tool("TopicsCommand", null, "--bootstrap-server", bootstrap, "--create", "--topic", topic,
                "--partitions", "4", "--replication-factor", "1").assertSuccess();
        c.awaitLeaders(topic, 4);
        String described = tool("TopicsCommand", null, "--bootstrap-server", bootstrap, "--describe", "--topic", topic)
                .assertSuccess().stdout();
        Matcher partitions = DESCRIBED_PARTITION.matcher(described);
        Set<Integer> seenPartitions = new HashSet<>();
        Set<Integer> leaders = new HashSet<>();
        while (partitions.find()) {
            seenPartitions.add(Integer.parseInt(partitions.group(1)));
            leaders.add(Integer.parseInt(partitions.group(2)));
            assertEquals(partitions.group(2), partitions.group(3), "with one replica the leader is the replica:\n" + described);
        }
        assertEquals(Set.of(0, 1, 2, 3), seenPartitions, described);
        assertEquals(3, leaders.size(), "4 partitions over 3 brokers give every broker a leader:\n" + described);

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            lines.append("user-").append(i % 6).append(':').append("event-").append(i).append('\n');
        }
        tool("ProduceCommand", lines.toString(), "--bootstrap-server", bootstrap, "--topic", topic,
                "--parse-key", "--key-separator", ":").assertSuccess();

        String consumed = tool("ConsumeCommand", null, "--bootstrap-server", bootstrap, "--topic", topic,
                "--from-beginning", "--max-messages", "60", "--timeout-ms", "30000",
                "--print-key", "--print-partition", "--print-offset").assertSuccess().stdout();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<Integer, List<Long>> offsets = new HashMap<>();
        Map<String, List<Integer>> eventsOfKey = new HashMap<>();
        Matcher records = CONSUMED.matcher(consumed);
        int count = 0;
        while (records.find()) {
            count++;
            int partition = Integer.parseInt(records.group(1));
            String key = records.group(3);
            Integer previous = partitionOfKey.putIfAbsent(key, partition);
            assertTrue(previous == null || previous == partition, "key " + key + " on two partitions:\n" + consumed);
            offsets.computeIfAbsent(partition, p -> new ArrayList<>()).add(Long.parseLong(records.group(2)));
            eventsOfKey.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(Integer.parseInt(records.group(4).substring("event-".length())));
        }
        assertEquals(60, count, consumed);
        for (List<Long> partitionOffsets : offsets.values()) {
            for (int i = 0; i < partitionOffsets.size(); i++) {
                assertEquals(i, partitionOffsets.get(i), "offsets are contiguous from 0 per partition:\n" + consumed);
            }
        }
        for (int k = 0; k < 6; k++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = k; i < 60; i += 6) {
                expected.add(i);
            }
            assertEquals(expected, eventsOfKey.get("user-" + k), "one key's records come back in the order sent");
        }

        assertTrue(tool("TopicsCommand", null, "--bootstrap-server", bootstrap, "--list").assertSuccess().stdout()
                .lines().anyMatch(topic::equals));
        tool("TopicsCommand", null, "--bootstrap-server", bootstrap, "--delete", "--topic", topic).assertSuccess();
        assertTrue(tool("TopicsCommand", null, "--bootstrap-server", bootstrap, "--list").assertSuccess().stdout()
                .lines().noneMatch(topic::equals));
    }

    @Test
    void aRefusedCreateExitsNonZeroWithKafkasErrorName() throws Exception {
        // Replication factor 4 on 3 brokers: more replicas than brokers can never be placed.
        ExternalProcess.Result result = tool("TopicsCommand", null, "--bootstrap-server", cluster.get().bootstrap(),
                "--create", "--topic", "replicated", "--partitions", "1", "--replication-factor", "4");
        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("INVALID_REPLICATION_FACTOR"), result.stderr());
    }
}
