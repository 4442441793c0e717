package io.tributary.client.producer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.fakebroker.FakeCluster;
import io.tributary.client.fakebroker.FakeCluster.Decision;
import io.tributary.client.fakebroker.FakeCluster.Exchange;
import io.tributary.client.serde.Serdes;
import org.apache.kafka.common.protocol.Errors;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leader failover against two in-process fake brokers over real TCP: a leader that dies mid-request, a
 * dead leader that refuses connections while other leaders keep working, and reconnect backoff.
 */
class ProducerFailoverTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private FakeCluster cluster;
    private final List<Producer<String, String>> producers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = FakeCluster.start(2);
        cluster.createTopic("orders", 1, 2); // orders-0 led by broker 1, orders-1 by broker 2
    }

    @AfterEach
    void stop() {
        producers.forEach(p -> p.close(Duration.ofSeconds(5)));
        cluster.close();
    }

    private Producer<String, String> producer(String bootstrap, String... keyValues) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
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

    @Test
    void aLeaderThatDiesAfterWritingIsReplacedAndTheNewLeaderRecognisesTheRetry() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        cluster.onProduce(b -> {
            if (first.getAndSet(false)) {
                // Broker 1 writes the batch (and it is replicated), then dies before answering; broker 2 takes over.
                cluster.setLeader(P0, 2);
                cluster.broker(1).stop();
                return Decision.APPEND_THEN_DROP_CONNECTION;
            }
            return Decision.APPEND;
        });
        Producer<String, String> producer = producer(cluster.bootstrap(1, 2));

        assertEquals(0, producer.send(new ProducerRecord<>("orders", 0, "k", "a")).get(20, TimeUnit.SECONDS).offset());
        assertEquals(1, producer.send(new ProducerRecord<>("orders", 0, "k", "b")).get(20, TimeUnit.SECONDS).offset());

        assertEquals(List.of("a", "b"), cluster.values(P0), "the retry was not stored twice");
        List<Exchange> p0 = cluster.exchanges(P0);
        assertEquals(List.of(1, 2, 2), p0.stream().map(e -> e.batch().brokerId()).toList());
        assertEquals(List.of(0, 0, 1), p0.stream().map(e -> e.batch().baseSequence()).toList());
        assertArrayEquals(p0.get(0).batch().bytes(), p0.get(1).batch().bytes(), "the new leader got the same batch");
        assertTrue(p0.stream().allMatch(e -> e.answer() == Errors.NONE));
    }

    @Test
    void aLeaderThatRefusesConnectionsDoesNotHoldUpPartitionsLedByOtherBrokers() throws Exception {
        // Broker 1 is dead but still named leader of orders-0, as until its ZooKeeper session expires.
        cluster.broker(1).stop();
        Producer<String, String> producer = producer(cluster.bootstrap(2), "delivery.timeout.ms", "60000",
                "request.timeout.ms", "1000");
        CompletableFuture<RecordMetadata> toDead = producer.send(new ProducerRecord<>("orders", 0, "k", "lost"));
        List<CompletableFuture<RecordMetadata>> toLive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toLive.add(producer.send(new ProducerRecord<>("orders", 1, "k", "v" + i)));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, toLive.get(i).get(20, TimeUnit.SECONDS).offset());
        }
        assertFalse(toDead.isDone(), "orders-0 is still being retried (for up to a minute) while orders-1 flows");

        producer.close(Duration.ZERO);
        CompletionException e = assertThrows(CompletionException.class, toDead::join);
        assertInstanceOf(TributaryException.class, e.getCause());
        assertEquals(List.of(), cluster.values(P0));
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), cluster.values(P1));
    }

    @Test
    void reconnectsToABrokerThatDropsEveryConnectionBackOff() {
        cluster.broker(1).dropEveryConnection();
        Producer<String, String> producer = producer(cluster.bootstrap(2), "delivery.timeout.ms", "1500",
                "request.timeout.ms", "1000", "reconnect.backoff.ms", "60000", "reconnect.backoff.max.ms", "60000");
        CompletableFuture<RecordMetadata> toDropper = producer.send(new ProducerRecord<>("orders", 0, "k", "x"));
        assertThrows(CompletionException.class, toDropper::join);
        // Retried every 10 ms for 1.5 s, it would have connected a hundred times without the backoff. Two
        // attempts can race: a metadata refresh may open a new connection in the instant between the first
        // one closing and its failure starting the backoff.
        int attempts = cluster.broker(1).connectionsAccepted();
        assertTrue(attempts >= 1 && attempts <= 2, "connections to broker 1: " + attempts);
    }

    @Test
    void notEnoughReplicasAndLeaderEpochErrorsAreRetriedUntilTheyClear() throws Exception {
        List<Errors> script = new ArrayList<>(List.of(Errors.NOT_ENOUGH_REPLICAS, Errors.UNKNOWN_LEADER_EPOCH,
                Errors.FENCED_LEADER_EPOCH, Errors.REQUEST_TIMED_OUT, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND));
        cluster.onProduce(b -> {
            synchronized (script) {
                if (script.isEmpty()) {
                    return Decision.APPEND;
                }
                Errors next = script.remove(0);
                // NOT_ENOUGH_REPLICAS_AFTER_APPEND: the leader wrote the batch but could not replicate it in time.
                return next == Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND ? new Decision(true, next, false) : Decision.refuse(next);
            }
        });
        Producer<String, String> producer = producer(cluster.bootstrap(1, 2));
        assertEquals(0, producer.send(new ProducerRecord<>("orders", 0, "k", "a")).get(20, TimeUnit.SECONDS).offset());
        assertEquals(List.of("a"), cluster.values(P0), "the retry after NOT_ENOUGH_REPLICAS_AFTER_APPEND was recognised");
        assertEquals(6, cluster.exchanges(P0).size());
    }
}
