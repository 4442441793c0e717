package io.tributary.broker.log;

import static io.tributary.broker.log.CompactedLogs.KeyedRec;
import static io.tributary.broker.log.CompactedLogs.latestPerKey;
import static io.tributary.broker.log.CompactedLogs.readAll;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.replica.Partition;
import io.tributary.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction end to end through real brokers and the official clients: a compacted topic with small segments
 * shrinks to the latest record per key at unchanged offsets, tombstoned keys go, null keys are refused, and a
 * follower that catches up from a compacted leader ends with the same latest-per-key set.
 */
class CompactionClusterTest {
    private static final String TOPIC = "compacted";
    private static final Map<String, String> BROKER = Map.of("log.cleaner.backoff.ms", "100",
            "log.cleaner.dedupe.buffer.size", "8388608", "log.retention.check.interval.ms", "1000");
    private static final Map<String, String> TOPIC_CONFIG = Map.of("cleanup.policy", "compact", "segment.bytes", "4096",
            "min.cleanable.dirty.ratio", "0.1", "delete.retention.ms", "0");

    @TempDir
    Path dataDir;

    private LocalCluster cluster;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void createTopic(int replicationFactor) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) replicationFactor).configs(TOPIC_CONFIG))).all().get();
        }
        cluster.awaitLeader(TOPIC, 0);
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "2048");
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        clients.add(producer);
        return producer;
    }

    /** Sends the records (a null value is a tombstone) and returns them with their acknowledged offsets. */
    private static List<KeyedRec> send(KafkaProducer<String, String> producer, List<String[]> records) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (String[] r : records) {
            futures.add(producer.send(new ProducerRecord<>(TOPIC, r[0], r[1])));
        }
        List<KeyedRec> sent = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            sent.add(new KeyedRec(futures.get(i).get().offset(), records.get(i)[0], records.get(i)[1]));
        }
        return sent;
    }

    private static List<String[]> values(int from, int count, int keys, int keyOffset) {
        List<String[]> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new String[] {"key-" + (keyOffset + (i * 31) % keys), "value-" + i});
        }
        return out;
    }

    private Partition replicaOn(int brokerId) {
        return cluster.broker(brokerId).replica(new TopicPartition(TOPIC, 0)).orElseThrow();
    }

    /** Reads the partition from the start with a KafkaConsumer (assign, no group) up to its end offset. */
    private List<KeyedRec> consumeAll() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<KeyedRec> consumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            await("consumed to " + end).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    consumed.add(new KeyedRec(r.offset(), r.key(), r.value()));
                }
                return consumer.position(tp) >= end;
            });
        }
        return consumed;
    }

    private static Map<String, KeyedRec> byKey(List<KeyedRec> records) {
        Map<String, KeyedRec> out = new LinkedHashMap<>();
        for (KeyedRec r : latestPerKey(records)) {
            out.put(r.key(), r);
        }
        return out;
    }

    @Test
    void aCompactedTopicKeepsTheLatestValuePerKeyAndDropsTombstonedKeys() throws Exception {
        cluster = new LocalCluster(1, dataDir, BROKER);
        createTopic(1);
        KafkaProducer<String, String> producer = producer();
        List<KeyedRec> sent = new ArrayList<>(send(producer, values(0, 20_000, 200, 0)));
        PartitionLog log = replicaOn(1).log();
        await("cleaned").atMost(Duration.ofSeconds(60)).until(() -> readAll(log).size() < 1_000);

        List<KeyedRec> consumed = consumeAll();
        for (int i = 1; i < consumed.size(); i++) {
            assertTrue(consumed.get(i).offset() > consumed.get(i - 1).offset(), "offsets increase");
        }
        assertTrue(sent.containsAll(consumed), "every record read was produced at that offset");
        assertEquals(byKey(sent), byKey(consumed));
        assertTrue(consumed.size() < 1_000, consumed.size() + " records left of 20,000");

        // Tombstones for ten keys, then more writes so the segments holding them close and get cleaned twice.
        List<String[]> tombstones = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            tombstones.add(new String[] {"key-" + k, null});
        }
        sent.addAll(send(producer, tombstones));
        sent.addAll(send(producer, values(20_000, 6_000, 190, 10)));
        await("tombstoned keys gone").atMost(Duration.ofSeconds(60)).until(() ->
                readAll(log).stream().noneMatch(r -> r.key().compareTo("key-10") < 0 && r.key().length() <= 5));
        Map<String, KeyedRec> expected = byKey(sent);
        expected.keySet().removeIf(k -> k.length() == 5); // key-0 .. key-9
        assertEquals(expected, byKey(consumeAll()));

        // Null keys are refused in a compacted topic, as Kafka does.
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(TOPIC, null, "no key")).get());
        assertTrue(refused.getCause() instanceof InvalidRecordException, refused.getCause().toString());
    }

    @Test
    void aFollowerCatchingUpFromACompactedLeaderEndsWithTheSameLatestPerKey() throws Exception {
        cluster = new LocalCluster(2, dataDir, BROKER);
        createTopic(2);
        int leader = cluster.awaitLeader(TOPIC, 0);
        int follower = leader == 1 ? 2 : 1;
        cluster.stop(follower);
        List<KeyedRec> sent = send(producer(), values(0, 20_000, 300, 0));
        PartitionLog leaderLog = replicaOn(leader).log();
        await("leader cleaned").atMost(Duration.ofSeconds(60)).until(() -> readAll(leaderLog).size() < 1_500);

        cluster.start(follower);
        await("follower caught up").atMost(Duration.ofSeconds(60)).until(() -> cluster.broker(follower)
                .replica(new TopicPartition(TOPIC, 0)).map(p -> p.logEndOffset() == leaderLog.logEndOffset()).orElse(false));
        PartitionLog followerLog = replicaOn(follower).log();
        Map<String, KeyedRec> expected = byKey(sent);
        assertEquals(expected, byKey(readAll(leaderLog)));
        assertEquals(expected, byKey(readAll(followerLog)));
        for (KeyedRec r : readAll(followerLog)) {
            // The follower copied the leader's (cleaned) batches: what it holds is what the leader held there.
            assertTrue(sent.contains(r), r + " was produced");
        }
    }
}
