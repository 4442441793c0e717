package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.ReplicaLog;
import io.tributary.zk.model.PartitionState;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader frozen with SIGSTOP for longer than its ZooKeeper session (its sockets stay open, so only the session
 * timeout gives it away) while an idempotent producer keeps writing acks=all: another ISR member takes over at a
 * higher leader epoch and the writes go on there. Resumed, the old leader (a zombie until it notices) never
 * acknowledges an acks=all write, not even one sent to it while it was frozen; the divergent tail it had (acks=1
 * records only it took, written while its followers were frozen just before) is truncated (KIP-101), and its
 * log ends byte-identical to the new leader's. Every acks=all acknowledgement holds: on the new leader, at its
 * offset, once.
 */
class PausedLeaderTest {

    private static final String TOPIC = "paused";
    private static final int VALUE_BYTES = 100;
    /**
     * Record timestamps start at the test's start, not at a fixed date: a segment rolls once its first batch's
     * timestamp is segment.ms (7 days) old (KIP-33), so old timestamps would roll a segment at every batch.
     */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis();
    /** Short long polls, so a frozen follower's last fetch is answered soon (see the settle wait below). */
    private static final int FETCH_WAIT_MAX_MS = 100;
    private static final int ACKS1_RECORDS = 5;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3)
            .brokerSetting("replica.fetch.wait.max.ms", Integer.toString(FETCH_WAIT_MAX_MS)));

    @Test
    void aLeaderPausedPastItsSessionIsReplacedNeverAcknowledgesAfterwardsAndLosesItsDivergentTail() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get(30, TimeUnit.SECONDS);
        int oldLeader = c.awaitLeader(TOPIC, 0);
        List<Integer> followers = c.brokerIds().stream().filter(id -> id != oldLeader).sorted().toList();
        assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(60)), "ISR of a new topic: " + c.isr(TOPIC));
        PartitionState before = c.partitionState(TOPIC, 0);
        assertEquals(oldLeader, before.leader());

        AckLedger all = new AckLedger("all", 500_000);
        AckLedger acks1 = new AckLedger("acks1", ACKS1_RECORDS);
        AckLedger zombieAll = new AckLedger("zombie-all", 1); // sent acks=all to the frozen leader: must never be acknowledged
        PartitionState after;
        ReplicaLog frozen;
        int sent;
        String zombieAnswer;
        try (ContinuousWriter writer = new ContinuousWriter(Producers.kafkaIdempotent(c.bootstrap(), "paused-all"), TOPIC, all,
                BASE_TIMESTAMP, VALUE_BYTES, 500, 1000).start();
             RawKafkaConnection toOldLeader = RawKafkaConnection.open("127.0.0.1", c.port(oldLeader))) {
            short produceVersion = toOldLeader.negotiate(ApiKeys.PRODUCE, RawProduce.NEWEST_PRODUCE_BY_NAME);
            writer.awaitAcknowledged(500, Duration.ofSeconds(60));

            // A tail only the leader has: freeze the followers (far less than the session and replica lag times),
            // let the leader answer the fetches they had in flight (long polls end after FETCH_WAIT_MAX_MS; this
            // wait only orders events), then write acks=1 records no follower can fetch.
            for (int follower : followers) {
                c.pause(follower);
            }
            Thread.sleep(5L * FETCH_WAIT_MAX_MS);
            for (int i = 0; i < ACKS1_RECORDS; i++) {
                ProduceResponseData.PartitionProduceResponse answer = RawProduce.produce(c.port(oldLeader), TOPIC, 0, (short) 1,
                        NumberedRecord.of(acks1.source(), i, BASE_TIMESTAMP, VALUE_BYTES));
                assertEquals(Errors.NONE, Errors.forCode(answer.errorCode()), "acks=1 write to the leader " + oldLeader);
                acks1.acked(i, 0, answer.baseOffset());
            }
            c.pause(oldLeader);
            for (int follower : followers) {
                c.resume(follower);
            }
            // Lands in the frozen leader's socket buffer; read once it runs again.
            RequestHeader pending = toOldLeader.sendOnly(ApiKeys.PRODUCE, produceVersion,
                    RawProduce.request(TOPIC, 0, (short) -1, 5_000, NumberedRecord.of(zombieAll.source(), 0, BASE_TIMESTAMP, VALUE_BYTES)));
            frozen = ReplicaLog.read(c.replicaDir(oldLeader, TOPIC, 0));

            c.awaitUnregistered(oldLeader); // its session expired: the pause outlasted the session timeout
            after = awaitNewLeader(c, oldLeader);
            assertTrue(followers.contains(after.leader()), "an ISR member takes over: " + after);
            assertTrue(after.leaderEpoch() > before.leaderEpoch(), "the new leader's epoch must be higher: " + before + " -> " + after);
            int ackedAtTakeover = all.ackedCount();
            writer.awaitAcknowledged(ackedAtTakeover + 500, Duration.ofSeconds(120)); // acks=all goes on at the new leader

            c.resume(oldLeader);
            try {
                ProduceResponseData.PartitionProduceResponse answer = RawProduce.answer(toOldLeader.receive(pending), TOPIC);
                assertNotEquals(Errors.NONE, Errors.forCode(answer.errorCode()),
                        "the replaced leader acknowledged an acks=all write at offset " + answer.baseOffset());
                zombieAnswer = Errors.forCode(answer.errorCode()).name();
            } catch (IOException closedWithoutAnswer) {
                zombieAnswer = "connection closed (" + closedWithoutAnswer + ")"; // not acknowledged either
            }
            c.awaitRegisteredId(oldLeader); // it registers again by itself
            assertTrue(c.awaitIsrContains(TOPIC, 1, c.brokerIds(), Duration.ofSeconds(120)),
                    "the old leader must rejoin the ISR as a follower: " + c.isr(TOPIC));
            writer.awaitAcknowledged(all.ackedCount() + 200, Duration.ofSeconds(120));
            sent = writer.stop();
        }
        assertEquals("", all.problems(sent), "every acks=all send of the idempotent producer must succeed");

        int newLeader = after.leader();
        assertEquals(newLeader, c.awaitLeader(TOPIC, 0), "leadership stays with the new leader");
        long epochStart = ReplicaLog.read(c.replicaDir(newLeader, TOPIC, 0)).leaderEpochCheckpoint().get(after.leaderEpoch());
        assertTrue(frozen.logEndOffset() > epochStart, "the frozen leader must have had a tail beyond the new leader's epoch "
                + after.leaderEpoch() + " start " + epochStart + ": " + frozen);
        for (ReplicaLog.Batch b : frozen.batches()) {
            if (b.lastOffset() >= epochStart) {
                assertEquals(before.leaderEpoch(), b.partitionLeaderEpoch(), "the divergent tail was written by the old leader: " + b);
            }
        }

        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, 1);
        assertTrue(Replicas.awaitReplicasReach(c, TOPIC, ends, c.brokerIds(), Duration.ofSeconds(60)),
                "every replica must reach the high watermark " + ends + ": " + Replicas.logEndOffsets(c, TOPIC, 0, c.brokerIds()));
        assertEquals(Map.of(1, ends.get(0), 2, ends.get(0), 3, ends.get(0)), Replicas.logEndOffsets(c, TOPIC, 0, c.brokerIds()),
                "no replica keeps anything past the high watermark (the old leader's tail is gone)");
        assertEquals(List.of(), Replicas.differencesBelow(c, TOPIC, 0, ends.get(0), c.brokerIds()));
        for (ReplicaLog.Batch b : ReplicaLog.read(c.replicaDir(oldLeader, TOPIC, 0)).batches()) {
            if (b.lastOffset() >= epochStart) {
                assertTrue(b.partitionLeaderEpoch() >= after.leaderEpoch(), "the old leader still holds its own tail: " + b);
            }
        }

        Map<String, AckLedger> ledgers = new LinkedHashMap<>();
        ledgers.put(all.source(), all);
        ledgers.put(acks1.source(), acks1);
        ledgers.put(zombieAll.source(), zombieAll);
        LogContentCheck check = new LogContentCheck("official consumer", ledgers, 1, BASE_TIMESTAMP, VALUE_BYTES).allowLoss(acks1.source());
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, check::accept);
        check.assertComplete(ends);
        long acks1InTail = java.util.stream.IntStream.range(0, ACKS1_RECORDS).filter(i -> acks1.offsetOf(i) >= epochStart).count();
        assertEquals(acks1InTail, check.lostAllowed(), "exactly the acks=1 records of the truncated tail are gone");
        System.out.printf("PausedLeaderTest: leader %d (epoch %d) paused, %d took over at epoch %d from offset %d; the frozen log ended "
                        + "at %d; it answered the acks=all write sent while frozen with %s; %d acks=all records sent and acknowledged; "
                        + "%d acks=1 records lost with the tail%n",
                oldLeader, before.leaderEpoch(), newLeader, after.leaderEpoch(), epochStart, frozen.logEndOffset(), zombieAnswer,
                sent, check.lostAllowed());
    }

    private static PartitionState awaitNewLeader(ClusterProcesses c, int oldLeader) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        PartitionState state = c.partitionState(TOPIC, 0);
        while (state.leader() == oldLeader || !state.hasLeader()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no other broker took over from the paused leader " + oldLeader + ": " + state);
            }
            Thread.sleep(50);
            state = c.partitionState(TOPIC, 0);
        }
        return state;
    }
}
