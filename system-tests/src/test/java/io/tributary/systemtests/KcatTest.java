package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka (through kcat) against the cluster: its metadata lists every broker and topic with the
 * partition leaders the cluster reports, and keyed messages round-trip through produce and consume with
 * each compression codec, stored compressed as sent and readable by the official client at offsets 0..n-1.
 */
class KcatTest {

    private static final int MESSAGES = 300;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @TempDir
    Path dir;

    @Test
    void metadataListsAllBrokersAndTheTopicWithItsLeaders() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "kcat-metadata";
        c.admin().createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Map<Integer, Integer> leaders = c.awaitLeaders(topic, 3);

        String out = Kcat.locate(dir).run(null, "-b", c.address(1), "-L", "-m", "30").assertSuccess().stdout();

        assertTrue(out.contains(" 3 brokers:"), "kcat must see 3 brokers:\n" + out);
        for (int id : c.brokerIds()) {
            assertTrue(out.contains("broker " + id + " at " + c.address(id)), "kcat must list broker " + id + " at " + c.address(id) + ":\n" + out);
        }
        assertTrue(out.contains("topic \"" + topic + "\" with 3 partitions:"), "kcat must list the topic:\n" + out);
        for (Map.Entry<Integer, Integer> e : leaders.entrySet()) {
            String line = "partition " + e.getKey() + ", leader " + e.getValue() + ", replicas: " + e.getValue() + ", isrs: " + e.getValue();
            assertTrue(out.contains(line), "kcat must show '" + line + "':\n" + out);
        }
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void keyedMessagesRoundTrip(String codec) throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "kcat-" + codec;
        // One partition: kcat -C then prints in offset order, so the output must equal the input exactly.
        c.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeaders(topic, 1).get(0);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            // Repetitive payloads, so every codec really shrinks them.
            lines.add("key-" + i + ":" + codec + " message " + i + " " + "payload ".repeat(1 + i % 7));
        }
        String input = String.join("\n", lines) + "\n";
        Kcat kcat = Kcat.locate(dir);

        List<String> produceArgs = new ArrayList<>(List.of("-b", c.bootstrap(), "-P", "-t", topic, "-K:"));
        if (!codec.equals("none")) {
            produceArgs.addAll(List.of("-z", codec));
        }
        kcat.run(input, produceArgs.toArray(String[]::new)).assertSuccess();
        String consumed = kcat.run(null, "-b", c.bootstrap(), "-C", "-t", topic, "-e", "-o", "beginning", "-f", "%k:%s\n")
                .assertSuccess().stdout();

        assertEquals(lines, consumed.lines().toList(), "kcat must read back exactly what it wrote, in order");
        assertStoredWith(c.logDir(leader).resolve(topic + "-0"), codec);

        // The official client decodes the same batches, and the offsets are 0..n-1.
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), topic, 1);
        assertEquals(Map.of(0, (long) MESSAGES), ends);
        List<ConsumedRecord> records = new ArrayList<>();
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), topic, ends, records::add);
        for (int i = 0; i < MESSAGES; i++) {
            ConsumedRecord r = records.get(i);
            assertEquals(i, r.offset());
            assertEquals(lines.get(i), r.key() + ":" + r.value());
        }
    }

    /**
     * The broker keeps batches as the producer sent them: compressed with the producer's codec. librdkafka
     * sends a batch uncompressed when compressing would not make it smaller (a first batch of one short
     * message, say), so "none" is allowed beside the codec, but most records must arrive compressed. It also
     * drops a codec it believes the broker lacks, judging from ApiVersions (gzip/snappy: Produce v0
     * advertised, KAFKA-18659; lz4: FindCoordinator v0): then nothing would be compressed.
     */
    private static void assertStoredWith(Path partitionDir, String codec) throws IOException {
        CompressionType expected = CompressionType.forName(codec);
        long compressedRecords = 0;
        long batches = 0;
        try (Stream<Path> files = Files.list(partitionDir)) {
            for (Path segment : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                    for (RecordBatch batch : records.batches()) {
                        CompressionType stored = batch.compressionType();
                        assertTrue(stored == expected || stored == CompressionType.NONE, "batch at offset "
                                + batch.baseOffset() + " of " + segment + " is " + stored + ", not " + expected);
                        if (stored == expected) {
                            compressedRecords += batch.nextOffset() - batch.baseOffset();
                        }
                        batches++;
                    }
                }
            }
        }
        assertTrue(batches > 0, "no batches found in " + partitionDir);
        assertTrue(compressedRecords > MESSAGES / 2, "kcat -z " + expected.name + " must reach the log compressed: only "
                + compressedRecords + " of " + MESSAGES + " records are in " + expected.name + " batches in " + partitionDir);
    }
}
