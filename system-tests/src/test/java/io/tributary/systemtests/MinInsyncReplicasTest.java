package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * min.insync.replicas with real processes: an RF=3 topic with min.insync.replicas=2 whose two followers are
 * killed (kill -9) refuses acks=all writes with NOT_ENOUGH_REPLICAS, writing nothing, while acks=1 writes still
 * go to the one replica left; once the followers are restarted, catch up and rejoin the ISR, the same producer's
 * acks=all writes succeed again with nothing done by hand, and the log holds exactly what was accepted.
 */
class MinInsyncReplicasTest {

    private static final String TOPIC = "min-isr";
    private static final int VALUE_BYTES = 100;
    /**
     * Record timestamps start at the test's start, not at a fixed date: a segment rolls once its first batch's
     * timestamp is segment.ms (7 days) old (KIP-33), so old timestamps would roll a segment at every batch.
     */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis();

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @Test
    void acksAllIsRefusedWithOneReplicaInSyncAndAcceptedAgainWhenTheFollowersReturn() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeader(TOPIC, 0);
        List<Integer> followers = c.brokerIds().stream().filter(id -> id != leader).sorted().toList();
        assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(60)), "ISR of a new topic: " + c.isr(TOPIC));

        AckLedger before = new AckLedger("before", 10);
        AckLedger refused = new AckLedger("refused", 1);
        AckLedger acks1 = new AckLedger("acks1", 1);
        AckLedger after = new AckLedger("after", 10);
        try (KafkaProducer<String, String> producer = Producers.kafkaAcksAllNoRetries(c.bootstrap(), "min-isr")) {
            for (int i = 0; i < before.size(); i++) {
                Producers.send(producer, TOPIC, 0, NumberedRecord.of(before.source(), i, BASE_TIMESTAMP, VALUE_BYTES), before);
            }
            producer.flush();
            assertEquals("", before.problems(), "with all three replicas in sync");

            for (int follower : followers) {
                c.kill(follower);
            }
            assertTrue(awaitIsr(c, List.of(leader)), "the killed followers must leave the ISR (their registrations are gone): "
                    + c.isr(TOPIC));

            // The official client reports the broker's refusal as NotEnoughReplicasException (retries=0).
            NumberedRecord r = NumberedRecord.of(refused.source(), 0, BASE_TIMESTAMP, VALUE_BYTES);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, 0, r.timestamp(), r.key(), r.value())).get(60, TimeUnit.SECONDS));
            assertInstanceOf(NotEnoughReplicasException.class, e.getCause(), "acks=all with ISR [" + leader + "]: " + e.getCause());

            // The same answer on the wire, and acks=1 is still taken by the one replica left.
            ProduceResponseData.PartitionProduceResponse raw = RawProduce.produce(c.port(leader), TOPIC, 0, (short) -1, r);
            assertEquals(Errors.NOT_ENOUGH_REPLICAS, Errors.forCode(raw.errorCode()), "raw acks=all produce to the leader");
            ProduceResponseData.PartitionProduceResponse one = RawProduce.produce(c.port(leader), TOPIC, 0, (short) 1,
                    NumberedRecord.of(acks1.source(), 0, BASE_TIMESTAMP, VALUE_BYTES));
            assertEquals(Errors.NONE, Errors.forCode(one.errorCode()), "acks=1 does not need min.insync.replicas");
            assertEquals(before.size(), one.baseOffset(), "the refused writes must not have taken an offset");
            acks1.acked(0, 0, one.baseOffset());

            for (int follower : followers) {
                c.restart(follower);
            }
            assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(120)),
                    "the restarted followers must catch up and rejoin the ISR: " + c.isr(TOPIC));

            // The same producer, untouched: acks=all is accepted again.
            for (int i = 0; i < after.size(); i++) {
                NumberedRecord next = NumberedRecord.of(after.source(), i, BASE_TIMESTAMP, VALUE_BYTES);
                RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, 0, next.timestamp(), next.key(), next.value(),
                        kafkaHeaders(next))).get(60, TimeUnit.SECONDS);
                after.acked(i, metadata.partition(), metadata.offset());
            }
        }
        assertEquals("", after.problems());
        assertEquals(before.size() + 1, after.offsetOf(0), "writes continue right after the acks=1 record");

        Map<String, AckLedger> ledgers = new LinkedHashMap<>();
        ledgers.put(before.source(), before);
        ledgers.put(acks1.source(), acks1);
        ledgers.put(after.source(), after);
        ledgers.put(refused.source(), refused); // never acknowledged nor failed in this ledger: must not be there
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, 1);
        assertEquals(Map.of(0, (long) before.size() + 1 + after.size()), ends);
        LogContentCheck check = new LogContentCheck("official consumer", ledgers, 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, check::accept);
        check.assertComplete(ends);
    }

    /** Waits (bounded) until the ISR is exactly {@code expected}. */
    private static boolean awaitIsr(ClusterProcesses c, List<Integer> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (c.isr(TOPIC).get(0).equals(expected)) {
                    return true;
                }
            } catch (Exception e) {
                // a broker just killed may still be asked; ask again
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static List<org.apache.kafka.common.header.Header> kafkaHeaders(NumberedRecord r) {
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new org.apache.kafka.common.header.internals.RecordHeader(h.key(), h.value())));
        return headers;
    }
}
