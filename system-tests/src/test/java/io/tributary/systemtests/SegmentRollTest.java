package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.ReplicaLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * segment.ms is measured between record timestamps, as in Kafka since KAFKA-4099: the active segment rolls when
 * an incoming batch's timestamp is segment.ms past the segment's first batch, not when the wall clock is. Records
 * stamped in the past (a backfill, a replay, a mirror of old data) must not roll a new segment, with its three
 * open files, at every batch; found when the replication chaos test, writing month-old timestamps, ran the
 * brokers out of file descriptors within a minute.
 */
class SegmentRollTest {

    private static final String TOPIC = "backfill";
    private static final int BATCHES = 200;
    private static final int VALUE_BYTES = 100;
    /** A month ago: far more than segment.ms (7 days) before now, while the records span only 200 ms. */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(30);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(1));

    @Test
    void batchesStampedAMonthAgoShareOneSegment() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeader(TOPIC, 0);

        AckLedger ledger = new AckLedger("old", BATCHES);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcks1(c.bootstrap(), "backfill")) {
            for (int i = 0; i < BATCHES; i++) {
                Producers.send(producer, TOPIC, 0, NumberedRecord.of(ledger.source(), i, BASE_TIMESTAMP, VALUE_BYTES), ledger);
                producer.flush(); // one batch per record
            }
        }
        assertEquals("", ledger.problems());
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, 1);
        LogContentCheck check = new LogContentCheck("official consumer", Map.of(ledger.source(), ledger), 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, check::accept);
        check.assertComplete(ends);

        Path replica = c.replicaDir(leader, TOPIC, 0);
        ReplicaLog log = ReplicaLog.read(replica);
        assertEquals(BATCHES, log.batches().size(), "one batch per flushed record: " + log);
        List<String> segments = segmentFiles(replica);
        assertEquals(1, segments.size(), BATCHES + " batches whose timestamps span " + (BATCHES - 1)
                + " ms (far below segment.ms) must stay in one segment, but " + replica + " holds " + segments.size()
                + " segments: " + segments.subList(0, Math.min(5, segments.size())) + "...");
    }

    private static List<String> segmentFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList();
        }
    }
}
