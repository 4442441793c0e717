package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a broker has acknowledged (acks=1) is on its disk: it survives kill -9 of the leader and a restart
 * on the same log dir; and a torn write at the tail of the active segment (a crash mid-append) is cut off at
 * start-up, leaving every earlier record readable and new records continuing at the next offset.
 */
class DurabilityTest {

    private static final int VALUE_BYTES = 100;
    private static final long BASE_TIMESTAMP = 1_710_000_000_000L;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @Test
    void acknowledgedRecordsSurviveKillOfTheirLeaderAndARestart() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "durable";
        int partitions = 3;
        c.admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int victim = c.awaitLeaders(topic, partitions).get(0);

        AckLedger before = new AckLedger("before", 3000);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(c.bootstrap(), "durable-before")) {
            for (int i = 0; i < before.size(); i++) {
                Producers.send(producer, topic, null, NumberedRecord.of(before.source(), i, BASE_TIMESTAMP, VALUE_BYTES), before);
            }
            producer.flush();
        }
        assertEquals("", before.problems());

        c.kill(victim);
        c.restart(victim);
        Map<Integer, Integer> leaders = c.awaitLeaders(topic, partitions);
        assertEquals(victim, leaders.get(0), "RF=1: partition 0 can only come back on its own broker " + victim);

        // The restarted log must also take new writes right after the old ones (no gap, no overwrite).
        AckLedger after = new AckLedger("after", 300);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(c.bootstrap(), "durable-after")) {
            for (int i = 0; i < after.size(); i++) {
                Producers.send(producer, topic, null, NumberedRecord.of(after.source(), i, BASE_TIMESTAMP, VALUE_BYTES), after);
            }
            producer.flush();
        }
        assertEquals("", after.problems());

        Map<String, AckLedger> ledgers = new LinkedHashMap<>();
        ledgers.put(before.source(), before);
        ledgers.put(after.source(), after);
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), topic, partitions);
        LogContentCheck byKafka = new LogContentCheck("official consumer", ledgers, partitions, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), topic, ends, byKafka::accept);
        byKafka.assertComplete(ends);
        LogContentCheck bySdk = new LogContentCheck("client-sdk consumer", ledgers, partitions, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithSdkConsumer(c.bootstrap(), topic, ends, bySdk::accept);
        bySdk.assertComplete(ends);
    }

    @Test
    void tornTailOfTheActiveSegmentIsTruncatedAtStartup() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "torn";
        c.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeaders(topic, 1).get(0);

        // Ten acknowledged batches, then one big record alone in the last batch: the one the crash tears.
        AckLedger intact = new AckLedger("intact", 100);
        AckLedger torn = new AckLedger("torn", 1);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(c.bootstrap(), "torn-writer")) {
            for (int i = 0; i < intact.size(); i++) {
                Producers.send(producer, topic, 0, NumberedRecord.of(intact.source(), i, BASE_TIMESTAMP, VALUE_BYTES), intact);
                if (i % 10 == 9) {
                    producer.flush();
                }
            }
            Producers.send(producer, topic, 0, NumberedRecord.of(torn.source(), 0, BASE_TIMESTAMP, 4000), torn);
            producer.flush();
        }
        assertEquals("", intact.problems());
        assertEquals("", torn.problems());
        assertEquals(100, torn.offsetOf(0), "the big record follows the 100 intact ones");

        c.stop(leader);
        Path segment = newestSegment(c.logDir(leader).resolve(topic + "-0"));
        long sizeBefore = Files.size(segment);
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.truncate(sizeBefore - 100); // cuts into the 4000-byte batch only
        }
        c.restart(leader);
        c.awaitLeaders(topic, 1);

        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), topic, 1);
        assertEquals(Map.of(0, 100L), ends, "the torn batch (offset 100) must be gone and nothing before it");
        assertTrue(Files.size(segment) <= sizeBefore - 100, "the segment must not have grown back past the cut");
        LogContentCheck afterRecovery = new LogContentCheck("official consumer after recovery", Map.of(intact.source(), intact),
                1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), topic, ends, afterRecovery::accept);
        afterRecovery.assertComplete(ends);

        AckLedger next = new AckLedger("next", 20);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(c.bootstrap(), "torn-next")) {
            for (int i = 0; i < next.size(); i++) {
                Producers.send(producer, topic, 0, NumberedRecord.of(next.source(), i, BASE_TIMESTAMP, VALUE_BYTES), next);
                producer.flush(); // one at a time, so offsets follow send order
            }
        }
        assertEquals("", next.problems());
        for (int i = 0; i < next.size(); i++) {
            assertEquals(100 + i, next.offsetOf(i), "new record " + i + " must continue right after the recovered log");
        }
        Map<String, AckLedger> ledgers = new LinkedHashMap<>();
        ledgers.put(intact.source(), intact);
        ledgers.put(next.source(), next);
        Map<Integer, Long> finalEnds = TopicReaders.endOffsets(c.bootstrap(), topic, 1);
        assertEquals(Map.of(0, 120L), finalEnds);
        LogContentCheck bySdk = new LogContentCheck("client-sdk consumer", ledgers, 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithSdkConsumer(c.bootstrap(), topic, finalEnds, bySdk::accept);
        bySdk.assertComplete(finalEnds);
    }

    /** The segment with the highest base offset ({@code <baseOffset>.log}): the active one. */
    private static Path newestSegment(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".log", ""))))
                    .orElseThrow(() -> new AssertionError("no .log segment in " + partitionDir + ": " + list(partitionDir)));
        }
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(cannot list: " + e + ")");
        }
    }
}
