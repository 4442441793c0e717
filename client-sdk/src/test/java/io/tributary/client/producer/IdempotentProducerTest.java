package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.fakebroker.FakeCluster;
import io.tributary.client.fakebroker.FakeCluster.Decision;
import io.tributary.client.fakebroker.FakeCluster.Exchange;
import io.tributary.client.serde.Serdes;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer against an in-process fake broker over real TCP (kafka-clients' codec on both sides): what
 * the batches it sends carry, and what it does with the broker's answers.
 */
class IdempotentProducerTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private FakeCluster cluster;
    private final List<Producer<String, String>> producers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = FakeCluster.start(1);
        cluster.createTopic("orders", 1, 1);
    }

    @AfterEach
    void stop() {
        producers.forEach(p -> p.close(Duration.ofSeconds(5)));
        cluster.close();
    }

    private Producer<String, String> producer(String... keyValues) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap(1));
        p.put("linger.ms", "0");
        p.put("retry.backoff.ms", "10");
        p.put("request.timeout.ms", "5000");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        Producer<String, String> producer = new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer());
        producers.add(producer);
        return producer;
    }

    private static RecordMetadata await(CompletableFuture<RecordMetadata> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static List<Integer> sequences(List<Exchange> exchanges) {
        return exchanges.stream().map(e -> e.batch().baseSequence()).toList();
    }

    @Test
    void batchesCarryTheProducerIdAndEachPartitionsSequenceCountedInRecords() throws Exception {
        // linger.ms of a minute: records sent before a flush travel together in one batch.
        Producer<String, String> producer = producer("linger.ms", "60000");
        producer.send(new ProducerRecord<>("orders", 0, "k", "a"));
        producer.send(new ProducerRecord<>("orders", 0, "k", "b"));
        producer.send(new ProducerRecord<>("orders", 1, "k", "x"));
        producer.flush();
        producer.send(new ProducerRecord<>("orders", 0, "k", "c"));
        producer.flush();
        CompletableFuture<RecordMetadata> last = producer.send(new ProducerRecord<>("orders", 1, "k", "y"));
        producer.flush();
        assertEquals(1, await(last).offset());

        List<Exchange> p0 = cluster.exchanges(P0);
        assertEquals(List.of(0, 2), sequences(p0), "the second batch starts after the first one's two records");
        assertEquals(List.of(List.of("a", "b"), List.of("c")), p0.stream().map(e -> e.batch().values()).toList());
        assertEquals(List.of(0, 1), sequences(cluster.exchanges(P1)), "each partition counts on its own");
        for (Exchange e : cluster.exchanges()) {
            assertEquals(1_000, e.batch().producerId());
            assertEquals(0, e.batch().producerEpoch());
            assertEquals(Errors.NONE, e.answer());
        }
        assertEquals(1, cluster.initProducerIdRequests());
    }

    @Test
    void aBatchRetriedAfterALostAcknowledgementIsTheSameBytesAndIsStoredOnce() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        cluster.onProduce(b -> first.getAndSet(false) ? Decision.APPEND_THEN_DROP_CONNECTION : Decision.APPEND);
        Producer<String, String> producer = producer();

        assertEquals(0, await(producer.send(new ProducerRecord<>("orders", 0, "k", "a"))).offset(),
                "the retry is answered with the offset the first attempt got");
        assertEquals(1, await(producer.send(new ProducerRecord<>("orders", 0, "k", "b"))).offset());

        assertEquals(List.of("a", "b"), cluster.values(P0), "stored once");
        List<Exchange> p0 = cluster.exchanges(P0);
        assertEquals(List.of(0, 0, 1), sequences(p0));
        assertArrayEquals(p0.get(0).batch().bytes(), p0.get(1).batch().bytes(), "the retry is the same batch, byte for byte");
    }

    @Test
    void initProducerIdIsRetriedThroughRetriableErrorsAndADisconnect() throws Exception {
        cluster.scriptInitProducerId(Errors.COORDINATOR_NOT_AVAILABLE, Errors.NOT_COORDINATOR, Errors.NETWORK_EXCEPTION,
                Errors.COORDINATOR_LOAD_IN_PROGRESS);
        Producer<String, String> producer = producer();
        assertEquals(0, await(producer.send(new ProducerRecord<>("orders", 0, "k", "a"))).offset());
        assertEquals(5, cluster.initProducerIdRequests());
        Exchange sent = cluster.exchanges(P0).get(0);
        assertEquals(1_000, sent.batch().producerId());
        assertEquals(1, cluster.exchanges().size(), "nothing was sent before the producer had its id");
    }

    @Test
    void retriesOfSeveralInFlightBatchesGoOutInSequenceOrder() throws Exception {
        // Three one-record batches in flight at once; the first is refused as during a leader change, so the
        // broker refuses the other two as out of order. Their retries must reach it as 1, 2, 3.
        Producer<String, String> producer = producer("batch.size", "1");
        assertEquals(0, await(producer.send(new ProducerRecord<>("orders", 0, "k", "first"))).offset(),
                "once the broker knows the producer, the partition pipelines");
        cluster.broker(1).holdProduceResponsesUntil(4);
        AtomicBoolean first = new AtomicBoolean(true);
        cluster.onProduce(b -> b.baseSequence() == 1 && first.getAndSet(false)
                ? Decision.refuse(Errors.NOT_LEADER_OR_FOLLOWER) : Decision.APPEND);
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (String v : List.of("a", "b", "c")) {
            sent.add(producer.send(new ProducerRecord<>("orders", 0, "k", v)));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, await(sent.get(i)).offset());
        }

        assertEquals(List.of("first", "a", "b", "c"), cluster.values(P0));
        List<Exchange> p0 = cluster.exchanges(P0).subList(1, 7);
        assertEquals(List.of(1, 2, 3, 1, 2, 3), sequences(p0));
        assertEquals(List.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                Errors.NONE, Errors.NONE, Errors.NONE), p0.stream().map(Exchange::answer).toList(),
                "no retry overtook an earlier failed batch (it would have been refused again)");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(p0.get(i).batch().bytes(), p0.get(i + 3).batch().bytes());
        }
    }

    @Test
    void anOutOfOrderSequenceNothingCanFillFailsItsBatchAndTheProducerContinuesWithANewId() throws Exception {
        AtomicBoolean refused = new AtomicBoolean();
        // As if the leader lost what this producer wrote: sequence 1 is refused though nothing is missing.
        cluster.onProduce(b -> b.baseSequence() == 1 && !refused.getAndSet(true)
                ? Decision.refuse(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER) : Decision.APPEND);
        Producer<String, String> producer = producer();
        assertEquals(0, await(producer.send(new ProducerRecord<>("orders", 0, "k", "a"))).offset());

        CompletableFuture<RecordMetadata> lost = producer.send(new ProducerRecord<>("orders", 0, "k", "b"));
        CompletionException e = assertThrows(CompletionException.class, lost::join);
        ApiException error = assertInstanceOf(ApiException.class, e.getCause());
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, error.error());
        assertTrue(error.getMessage().contains("orders-0") && error.getMessage().contains("refused these records"), error.getMessage());

        assertEquals(1, await(producer.send(new ProducerRecord<>("orders", 0, "k", "c"))).offset());
        assertEquals(2, cluster.initProducerIdRequests());
        Exchange after = cluster.exchanges(P0).get(2);
        assertEquals(List.of(1_001L, 0), List.of(after.batch().producerId(), after.batch().baseSequence()),
                "a new producer id, its sequences from 0");
        assertEquals(List.of("a", "c"), cluster.values(P0));
    }

    @Test
    void withIdempotenceOffBatchesCarryNoProducerIdAndNoneIsAskedFor() throws Exception {
        Producer<String, String> producer = producer("acks", "1");
        assertEquals(0, await(producer.send(new ProducerRecord<>("orders", 0, "k", "a"))).offset());
        Exchange sent = cluster.exchanges(P0).get(0);
        assertEquals(RecordBatch.NO_PRODUCER_ID, sent.batch().producerId());
        assertEquals(RecordBatch.NO_SEQUENCE, sent.batch().baseSequence());
        assertEquals(0, cluster.initProducerIdRequests());
    }
}
