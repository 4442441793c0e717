package io.tributary.broker.replication;

import io.tributary.broker.Broker;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.testing.LocalCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.record.FileLogInputStream;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three brokers in one JVM on a real ZooKeeper, real sockets and real files, driven by the official Kafka
 * clients: followers copy the leader's log exactly, acks=all waits for the ISR, leadership moves on a
 * controlled shutdown without losing an acknowledged record, and min.insync.replicas is enforced.
 */
class ReplicationTest {

    private static final String TOPIC = "replicated";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;
    private LocalCluster cluster;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startClusterWithTopic() throws Exception {
        cluster = new LocalCluster(3, dataDir, Map.of("replica.lag.time.max.ms", "10000"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
        for (int p = 0; p < PARTITIONS; p++) {
            cluster.awaitLeader(TOPIC, p);
        }
    }

    private KafkaProducer<String, String> producer(int deliveryTimeoutMs) {
        return producer(deliveryTimeoutMs, new Properties());
    }

    private KafkaProducer<String, String> producer(int deliveryTimeoutMs, Properties overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(deliveryTimeoutMs / 2, 10_000)));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        props.putAll(overrides);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        clients.add(producer);
        return producer;
    }

    /** Sends {@code count} numbered records and returns each acknowledged value with where it landed. */
    private Map<String, RecordMetadata> produce(KafkaProducer<String, String> producer, int from, int count) throws Exception {
        Map<String, Future<RecordMetadata>> sent = new HashMap<>();
        for (int i = from; i < from + count; i++) {
            String value = "record-" + i;
            sent.put(value, producer.send(new ProducerRecord<>(TOPIC, "key-" + (i % 97), value)));
        }
        Map<String, RecordMetadata> acknowledged = new HashMap<>();
        for (Map.Entry<String, Future<RecordMetadata>> entry : sent.entrySet()) {
            acknowledged.put(entry.getKey(), entry.getValue().get());
        }
        return acknowledged;
    }

    private List<Partition> replicasOf(int partition) {
        List<Partition> replicas = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Broker broker = cluster.broker(id);
            if (broker != null) {
                broker.replica(new TopicPartition(TOPIC, partition)).ifPresent(replicas::add);
            }
        }
        return replicas;
    }

    /** The raw bytes of every batch below {@code end}, as stored. */
    private static List<byte[]> batchBytes(Partition replica, long end) {
        List<byte[]> batches = new ArrayList<>();
        long offset = replica.logStartOffset();
        while (offset < end) {
            long next = offset;
            for (RecordBatch batch : replica.log().read(offset, 1 << 20, end, true).records().batches()) {
                ByteBuffer bytes = ByteBuffer.allocate(batch.sizeInBytes());
                ((FileLogInputStream.FileChannelRecordBatch) batch).writeTo(bytes);
                batches.add(bytes.array());
                next = batch.nextOffset();
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return batches;
    }

    @Test
    void everyReplicaHoldsTheLeadersBatchesByteForByteUpToTheHighWatermark() throws Exception {
        startClusterWithTopic();
        Map<String, RecordMetadata> acknowledged = produce(producer(60_000), 0, 3_000);
        assertEquals(3_000, acknowledged.size());

        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            await("replicas of partition " + p + " in step").atMost(Duration.ofSeconds(30)).until(() -> {
                List<Partition> replicas = replicasOf(partition);
                long end = replicas.get(0).logEndOffset();
                return replicas.size() == 3 && replicas.stream().allMatch(r -> r.logEndOffset() == end && r.highWatermark() == end);
            });
            List<Partition> replicas = replicasOf(p);
            long highWatermark = replicas.get(0).highWatermark();
            assertTrue(highWatermark > 0, "partition " + p + " received records");
            List<byte[]> reference = batchBytes(replicas.get(0), highWatermark);
            for (Partition replica : replicas.subList(1, replicas.size())) {
                List<byte[]> copy = batchBytes(replica, highWatermark);
                assertEquals(reference.size(), copy.size(), "batches of partition " + p);
                for (int i = 0; i < reference.size(); i++) {
                    assertArrayEquals(reference.get(i), copy.get(i), "batch " + i + " of partition " + p);
                }
            }
            Partition leader = replicas.stream().filter(Partition::isLeader).findFirst().orElseThrow();
            assertEquals(3, leader.leadership().isr().size(), "the ISR of partition " + p + " holds all three replicas");
        }
    }

    @Test
    void aControlledShutdownOfALeaderMovesLeadershipAndLosesNoAcknowledgedRecord() throws Exception {
        startClusterWithTopic();
        KafkaProducer<String, String> producer = producer(60_000);
        Map<String, RecordMetadata> acknowledged = new HashMap<>(produce(producer, 0, 1_000));
        int oldLeader = cluster.awaitLeader(TOPIC, 0);

        cluster.stop(oldLeader);
        int newLeader = cluster.awaitLeader(TOPIC, 0);
        assertNotEquals(oldLeader, newLeader);
        acknowledged.putAll(produce(producer, 1_000, 1_000));
        cluster.start(oldLeader);
        acknowledged.putAll(produce(producer, 2_000, 1_000));

        assertEverythingAcknowledgedIsReadableWhereItWasAcknowledged(acknowledged);
    }

    @Test
    void withOneOfThreeReplicasAliveAcksAllIsRefusedAndWritesResumeWhenTheOthersReturn() throws Exception {
        startClusterWithTopic();
        produce(producer(60_000), 0, 10);
        cluster.stop(2);
        cluster.stop(3);
        // Broker 1 leads everything now and has dropped the brokers that left from its ISRs.
        await().atMost(Duration.ofSeconds(30)).until(() -> replicasOf(0).stream()
                .anyMatch(r -> r.isLeader() && r.leadership().isr().equals(List.of(1))));

        // No retries, so the client reports the broker's answer instead of retrying it until it times out.
        Properties noRetries = new Properties();
        noRetries.put(ProducerConfig.RETRIES_CONFIG, "0");
        noRetries.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        KafkaProducer<String, String> impatient = producer(30_000, noRetries);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> impatient.send(new ProducerRecord<>(TOPIC, 0, "k", "refused")).get());
        assertInstanceOf(NotEnoughReplicasException.class, refused.getCause(), refused.toString());

        cluster.start(2);
        cluster.start(3);
        Map<String, RecordMetadata> acknowledged = produce(producer(60_000), 10, 100);
        assertEquals(100, acknowledged.size());
    }

    private void assertEverythingAcknowledgedIsReadableWhereItWasAcknowledged(Map<String, RecordMetadata> acknowledged) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Long> seenAt = new HashMap<>();
        Map<String, Integer> seenIn = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("every acknowledged record read").atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Long earlier = seenAt.put(record.value(), record.offset());
                    assertEquals(null, earlier, record.value() + " appears twice");
                    seenIn.put(record.value(), record.partition());
                }
                return seenAt.keySet().containsAll(acknowledged.keySet());
            });
        }
        for (Map.Entry<String, RecordMetadata> ack : acknowledged.entrySet()) {
            assertEquals(ack.getValue().partition(), seenIn.get(ack.getKey()), ack.getKey() + " partition");
            assertEquals(ack.getValue().offset(), seenAt.get(ack.getKey()), ack.getKey() + " offset");
        }
    }
}
