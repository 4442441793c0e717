package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.ReplicaLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A follower killed with kill -9 misses 100,000 acks=all records (min.insync.replicas=2, so writes go on
 * without it); restarted, it catches up over many segments, rejoins the ISR (official Admin, describeTopics),
 * and its log is byte-identical to the leader's and the other follower's: same segments' batches, offsets,
 * leader epochs and records.
 */
class FollowerCatchUpTest {

    private static final String TOPIC = "catch-up";
    private static final int RECORDS_BEFORE = 1_000;
    private static final int RECORDS_WHILE_DOWN = 100_000;
    private static final int VALUE_BYTES = 100;
    /**
     * Record timestamps start at the test's start, not at a fixed date: a segment rolls once its first batch's
     * timestamp is segment.ms (7 days) old (KIP-33), so old timestamps would roll a segment at every batch.
     */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis();

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3).brokerSetting("log.segment.bytes", "1048576"));

    @Test
    void aRestartedFollowerCatchesUpRejoinsTheIsrAndHoldsTheLeadersExactLog() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeader(TOPIC, 0);
        int follower = c.brokerIds().stream().filter(id -> id != leader).sorted().findFirst().orElseThrow();
        assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(60)), "ISR of a new topic: " + c.isr(TOPIC));

        AckLedger before = new AckLedger("before", RECORDS_BEFORE);
        AckLedger whileDown = new AckLedger("while-down", RECORDS_WHILE_DOWN);
        try (KafkaProducer<String, String> producer = Producers.kafkaIdempotent(c.bootstrap(), "catch-up")) {
            for (int i = 0; i < before.size(); i++) {
                Producers.send(producer, TOPIC, 0, NumberedRecord.of(before.source(), i, BASE_TIMESTAMP, VALUE_BYTES), before);
            }
            producer.flush();
            assertEquals("", before.problems());

            c.kill(follower);
            assertTrue(awaitIsrWithout(c, follower), "the killed follower " + follower + " must leave the ISR: " + c.isr(TOPIC));
            for (int i = 0; i < whileDown.size(); i++) {
                Producers.send(producer, TOPIC, 0, NumberedRecord.of(whileDown.source(), i, BASE_TIMESTAMP, VALUE_BYTES), whileDown);
            }
            producer.flush();
        }
        assertEquals("", whileDown.problems(), "acks=all with 2 of 3 replicas in sync and min.insync.replicas=2");
        long end = RECORDS_BEFORE + RECORDS_WHILE_DOWN;
        assertEquals(leader, c.awaitLeader(TOPIC, 0), "the leader was never touched");
        long missed = ReplicaLog.logEndOffsetOf(c.replicaDir(follower, TOPIC, 0));
        assertTrue(missed <= RECORDS_BEFORE, "the killed follower's log ends at " + missed + ", so it missed the later writes");

        c.restart(follower);
        assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(180)),
                "the restarted follower " + follower + " must catch up and rejoin the ISR: " + c.isr(TOPIC)
                        + "; replicas' log end offsets " + Replicas.logEndOffsets(c, TOPIC, 0, c.brokerIds()));

        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, 1);
        assertEquals(Map.of(0, end), ends, "exactly the acknowledged records, none stored twice");
        // Joining the ISR needs the follower's fetch to reach the high watermark; with no writes since, that is
        // the leader's log end: the files are final now.
        assertEquals(Map.of(1, end, 2, end, 3, end), Replicas.logEndOffsets(c, TOPIC, 0, c.brokerIds()),
                "every replica's log end offset, from its segment files");
        List<String> differences = Replicas.differencesBelow(c, TOPIC, 0, end, c.brokerIds());
        assertEquals(List.of(), differences, "replicas of " + TOPIC + "-0 must be byte-identical");
        ReplicaLog caughtUp = ReplicaLog.read(c.replicaDir(follower, TOPIC, 0));
        assertTrue(caughtUp.batches().stream().map(ReplicaLog.Batch::segment).distinct().count() >= 3,
                "the catch-up must have spanned several segments (log.segment.bytes=1 MiB): " + caughtUp);

        LogContentCheck check = new LogContentCheck("official consumer",
                Map.of(before.source(), before, whileDown.source(), whileDown), 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, check::accept);
        check.assertComplete(ends);
    }

    private static boolean awaitIsrWithout(ClusterProcesses c, int broker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (!c.isr(TOPIC).get(0).contains(broker)) {
                    return true;
                }
            } catch (Exception e) {
                // ask again
            }
            Thread.sleep(100);
        }
        return false;
    }
}
