package io.tributary.client.network;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.serde.Serdes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real sockets to a port nobody listens on: every client must give up within its configured deadline
 * with a TimeoutException that says what it was doing, never hang, and never fail send() itself.
 */
class UnreachableClusterTest {
    private String bootstrap;

    @BeforeEach
    void closedPort() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        bootstrap = "127.0.0.1:" + port;
    }

    @Test
    void producerFailsRecordsAfterDeliveryTimeoutAndSendDoesNotBlock() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "0");
        p.put("request.timeout.ms", "300");
        p.put("delivery.timeout.ms", "600");
        p.put("retry.backoff.ms", "20");
        try (Producer<String, String> producer = new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer())) {
            CompletableFuture<RecordMetadata> f1 = producer.send(new ProducerRecord<>("orders", "k", "v1"));
            CompletableFuture<RecordMetadata> f2 = producer.send(new ProducerRecord<>("orders", 3, "k", "v2"));
            CompletionException e = assertThrows(CompletionException.class, f1::join);
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("orders"), e.getCause().getMessage());
            assertInstanceOf(TimeoutException.class, assertThrows(CompletionException.class, f2::join).getCause());
            producer.flush(); // nothing left pending: returns
        }
    }

    @Test
    void producerCloseWithZeroTimeoutFailsWhatIsPending() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "30000");
        Producer<String, String> producer = new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer());
        CompletableFuture<RecordMetadata> f = producer.send(new ProducerRecord<>("orders", "v"));
        producer.close(Duration.ZERO);
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(e.getCause() instanceof TributaryException, e.getCause().toString());
        assertThrows(IllegalStateException.class, () -> producer.send(new ProducerRecord<>("orders", "late")));
    }

    @Test
    void adminCallsTimeOutNamingTheOperation() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "400");
        p.put("retry.backoff.ms", "20");
        try (Admin admin = new Admin(p)) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> admin.createTopic(new NewTopic("orders", 3, (short) 1)));
            assertTrue(e.getMessage().contains("create topic 'orders'"), e.getMessage());
            assertThrows(TimeoutException.class, admin::listTopics);
            assertThrows(TimeoutException.class, admin::describeCluster);
        }
    }

    @Test
    void consumerPollReturnsNothingAndOffsetLookupsTimeOut() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "600");
        p.put("retry.backoff.ms", "20");
        p.put("auto.offset.reset", "earliest");
        try (Consumer<String, String> consumer = new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            TopicPartition tp = new TopicPartition("orders", 0);
            consumer.assign(List.of(tp));
            assertEquals(List.of(), consumer.poll(Duration.ofMillis(200)));
            assertThrows(TimeoutException.class, () -> consumer.endOffsets(List.of(tp)));
            assertThrows(TimeoutException.class, () -> consumer.position(tp));
            consumer.seek(tp, 17);
            assertEquals(17, consumer.position(tp));
        }
    }
}
