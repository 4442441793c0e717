package io.tributary.client.producer;

import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.PartitionMetadata;
import io.tributary.client.network.TopicMetadata;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotent producer's sequence rules, driven through the accumulator's drain without a network:
 * what each drained batch carries once built, and which batch may go out when.
 */
class PartitionSequencesTest {
    private static final Node BROKER_1 = new Node(1, "h1", 9092, null);
    private static final Node BROKER_2 = new Node(2, "h2", 9092, null);
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final ProducerIdAndEpoch FIRST = new ProducerIdAndEpoch(1_000, (short) 0);
    private static final ProducerIdAndEpoch SECOND = new ProducerIdAndEpoch(2_000, (short) 0);

    private ProducerIdentity identity;
    private PartitionSequences sequences;
    private RecordAccumulator acc;

    private static ClusterSnapshot cluster() {
        List<PartitionMetadata> partitions = List.of(
                new PartitionMetadata(P0, Errors.NONE, 1, 0, List.of(1), List.of(1)),
                new PartitionMetadata(P1, Errors.NONE, 2, 0, List.of(2), List.of(2)));
        return new ClusterSnapshot("c", 1, Map.of(1, BROKER_1, 2, BROKER_2),
                Map.of("orders", new TopicMetadata("orders", null, Errors.NONE, false, partitions)), 0L);
    }

    @BeforeEach
    void setUp() {
        identity = new ProducerIdentity("test", 100, 30_000, () -> { });
        sequences = new PartitionSequences("test", identity, 5);
        // batch.size 1: every append makes a batch of its own, ready at once.
        acc = new RecordAccumulator(1, Compression.NONE, 0, sequences);
    }

    private void append(TopicPartition tp, String value) {
        acc.append(tp, 1L, null, value.getBytes(StandardCharsets.UTF_8), new Header[0], new CompletableFuture<>(), 0, 0L);
    }

    /** One drain round: the batch taken for {@code tp}, or null. */
    private ProducerBatch drainOne(TopicPartition tp) {
        RecordAccumulator.Drained d = acc.drain(cluster(), 0L, n -> true, 1_048_576);
        List<ProducerBatch> all = new ArrayList<>();
        d.byLeader().values().forEach(all::addAll);
        return all.stream().filter(b -> b.topicPartition.equals(tp)).findFirst().orElse(null);
    }

    /** Sends and acknowledges one batch, after which the broker knows the producer and the partition pipelines. */
    private void warmUp(TopicPartition tp) {
        append(tp, "warm-up");
        sequences.acknowledged(drainOne(tp));
    }

    private static MutableRecordBatch decoded(ProducerBatch b) {
        MutableRecordBatch batch = b.records().batches().iterator().next();
        batch.ensureValid(); // the CRC covers the producer fields
        return batch;
    }

    private static String value(ProducerBatch b) {
        return new String(Utils.toArray(b.records().records().iterator().next().value()), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ProducerBatch b) {
        return Utils.toArray(b.records().buffer().duplicate());
    }

    @Test
    void nothingIsSentBeforeTheProducerHasAnId() {
        append(P0, "a");
        assertNull(drainOne(P0));
        identity.obtained(FIRST, "broker-1");
        MutableRecordBatch batch = decoded(drainOne(P0));
        assertEquals(1_000, batch.producerId());
        assertEquals(0, batch.producerEpoch());
        assertEquals(0, batch.baseSequence());
        assertFalse(batch.isTransactional());
    }

    @Test
    void eachPartitionCountsItsOwnSequencesAcrossBatchesByRecordCount() {
        identity.obtained(FIRST, "broker-1");
        RecordAccumulator big = new RecordAccumulator(16_384, Compression.NONE, 60_000, sequences);
        for (String v : List.of("a", "b", "c")) {
            big.append(P0, 1L, null, v.getBytes(StandardCharsets.UTF_8), new Header[0], new CompletableFuture<>(), 0, 0L);
        }
        big.append(P1, 1L, null, new byte[]{1}, new Header[0], new CompletableFuture<>(), 0, 0L);
        big.beginFlush();
        RecordAccumulator.Drained first = big.drain(cluster(), 0L, n -> true, 1_048_576);
        sequences.acknowledged(first.byLeader().get(BROKER_1).get(0));
        for (String v : List.of("d", "e")) {
            big.append(P0, 1L, null, v.getBytes(StandardCharsets.UTF_8), new Header[0], new CompletableFuture<>(), 0, 0L);
        }
        RecordAccumulator.Drained second = big.drain(cluster(), 0L, n -> true, 1_048_576);
        big.endFlush();

        MutableRecordBatch p0a = decoded(first.byLeader().get(BROKER_1).get(0));
        MutableRecordBatch p1a = decoded(first.byLeader().get(BROKER_2).get(0));
        MutableRecordBatch p0b = decoded(second.byLeader().get(BROKER_1).get(0));
        assertEquals(List.of(0, 2), List.of(p0a.baseSequence(), p0a.lastSequence()));
        assertEquals(List.of(3, 4), List.of(p0b.baseSequence(), p0b.lastSequence()), "the next batch continues after 3 records");
        assertEquals(0, p1a.baseSequence(), "another partition has its own sequence");
        for (MutableRecordBatch b : List.of(p0a, p0b, p1a)) {
            assertEquals(1_000, b.producerId());
            assertEquals(0, b.producerEpoch());
        }
    }

    @Test
    void underANewIdAPartitionSendsOneBatchUntilTheBrokerHasAcknowledgedOne() {
        identity.obtained(FIRST, "broker-1");
        append(P0, "a");
        append(P0, "b");
        ProducerBatch a = drainOne(P0);
        assertNull(drainOne(P0), "a broker that does not know the producer would take b even if a failed");
        sequences.acknowledged(a);
        assertEquals(1, decoded(drainOne(P0)).baseSequence());
    }

    @Test
    void aRetriedBatchKeepsItsSequenceAndItsBytes() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        append(P0, "a");
        append(P0, "b");
        ProducerBatch sent = drainOne(P0);
        byte[] firstAttempt = bytes(sent);
        ProducerBatch next = drainOne(P0);
        assertEquals(2, decoded(next).baseSequence());

        sent.prepareRetry(0L, new TimeoutException("lost"));
        acc.reenqueue(sent);
        ProducerBatch retried = drainOne(P0);
        assertSame(sent, retried);
        assertEquals(1, decoded(retried).baseSequence());
        assertArrayEquals(firstAttempt, bytes(retried), "a retry is the same batch, byte for byte");
    }

    @Test
    void retriesGoOutOneAtATimeInSequenceOrderOnlyAfterEveryEarlierBatchIsResolved() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        append(P0, "a");
        append(P0, "b");
        append(P0, "c");
        ProducerBatch a = drainOne(P0);
        ProducerBatch b = drainOne(P0);
        ProducerBatch c = drainOne(P0);

        // b and c come back first (say OUT_OF_ORDER_SEQUENCE_NUMBER because a is missing); a is still in flight.
        assertTrue(sequences.hasEarlierUnresolved(c));
        assertTrue(sequences.hasEarlierUnresolved(b));
        assertFalse(sequences.hasEarlierUnresolved(a));
        for (ProducerBatch failed : List.of(c, b)) {
            failed.prepareRetry(0L, null);
            acc.reenqueue(failed);
        }
        assertNull(drainOne(P0), "b must not be re-sent while a is unresolved");

        a.prepareRetry(0L, null);
        acc.reenqueue(a);
        assertEquals("a", value(drainOne(P0)));
        assertNull(drainOne(P0), "b waits for a's retry to be answered");
        sequences.acknowledged(a);
        assertEquals("b", value(drainOne(P0)));
        assertNull(drainOne(P0));
        sequences.acknowledged(b);
        ProducerBatch last = drainOne(P0);
        assertEquals("c", value(last));
        assertEquals(3, decoded(last).baseSequence());
    }

    @Test
    void atMostFiveBatchesOfAPartitionAreUnresolvedAtOnce() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        for (int i = 0; i < 7; i++) {
            append(P0, "v" + i);
        }
        List<ProducerBatch> sent = new ArrayList<>();
        ProducerBatch b;
        while ((b = drainOne(P0)) != null) {
            sent.add(b);
        }
        assertEquals(5, sent.size());
        sequences.acknowledged(sent.get(0));
        assertEquals(6, decoded(drainOne(P0)).baseSequence());
        assertNull(drainOne(P0));
    }

    /**
     * The broker remembers five batches: with the oldest unresolved batch and four after it written, a sixth
     * would push the first out of that memory, and its retry would be refused instead of recognised.
     */
    @Test
    void acknowledgedBatchesAfterAnUnresolvedOneStillCountTowardsTheFive() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        for (int i = 0; i < 6; i++) {
            append(P0, "v" + i);
        }
        List<ProducerBatch> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(drainOne(P0));
        }
        sent.subList(1, 5).forEach(sequences::acknowledged);
        assertNull(drainOne(P0), "the first batch's answer is still out (a lost response, say)");
        sequences.acknowledged(sent.get(0));
        assertEquals(6, decoded(drainOne(P0)).baseSequence());
    }

    @Test
    void aGapNoLaterBatchFillsMovesThePartitionToANewProducerIdOnceItsBatchesAreResolved() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        append(P0, "a");
        append(P0, "b");
        ProducerBatch a = drainOne(P0);
        ProducerBatch b = drainOne(P0);
        append(P1, "x");
        ProducerBatch x = drainOne(P1);
        append(P0, "c");

        sequences.failed(a); // expired after a lost response: the broker may or may not have it
        assertNull(drainOne(P0), "c waits: b's answer tells whether a was written");
        assertFalse(sequences.hasEarlierUnresolved(b));
        sequences.failed(b); // OUT_OF_ORDER_SEQUENCE_NUMBER with nothing earlier pending: a was not written
        assertNull(drainOne(P0), "the partition asks for a new producer id instead of sending into the gap");
        assertNull(identity.current());

        identity.obtained(SECOND, "broker-2");
        MutableRecordBatch c = decoded(drainOne(P0));
        assertEquals(List.of(2_000L, 0), List.of(c.producerId(), c.baseSequence()), "c starts the new id at sequence 0");

        // orders-1 still has x in flight under the old id: its next batch waits for x, then starts over.
        append(P1, "y");
        assertNull(drainOne(P1));
        sequences.acknowledged(x);
        MutableRecordBatch y = decoded(drainOne(P1));
        assertEquals(List.of(2_000L, 0), List.of(y.producerId(), y.baseSequence()));
    }

    @Test
    void aLaterAcknowledgementProvesAnUnacknowledgedBatchWasWritten() {
        identity.obtained(FIRST, "broker-1");
        warmUp(P0);
        append(P0, "a");
        append(P0, "b");
        ProducerBatch a = drainOne(P0);
        ProducerBatch b = drainOne(P0);
        sequences.failed(a);
        sequences.acknowledged(b);
        append(P0, "c");
        MutableRecordBatch c = decoded(drainOne(P0));
        assertEquals(List.of(1_000L, 3), List.of(c.producerId(), c.baseSequence()));
        assertEquals(FIRST, identity.current(), "no new producer id was needed");
    }
}
