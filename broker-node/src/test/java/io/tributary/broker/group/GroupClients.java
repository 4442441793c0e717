package io.tributary.broker.group;

import io.tributary.broker.testing.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Official Kafka clients against a {@link LocalCluster}, set up for fast group tests. */
final class GroupClients implements AutoCloseable {

    /** Broker settings that keep group tests short: no initial delay, short sessions, a small offsets topic. */
    static Map<String, String> fastGroups(int offsetsPartitions, int offsetsReplicationFactor) {
        // One broker cannot hand its offsets partitions to anyone: a controlled shutdown would only wait its timeout.
        return Map.of("group.initial.rebalance.delay.ms", "0", "controlled.shutdown.enable", "false",
                "group.min.session.timeout.ms", "500",
                "offsets.topic.num.partitions", Integer.toString(offsetsPartitions),
                "offsets.topic.replication.factor", Integer.toString(offsetsReplicationFactor));
    }

    private final LocalCluster cluster;
    private final List<AutoCloseable> open = new ArrayList<>();

    GroupClients(LocalCluster cluster) {
        this.cluster = cluster;
    }

    void createTopic(String topic, int partitions, int replicationFactor) throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor))).all().get();
        }
        for (int p = 0; p < partitions; p++) {
            cluster.awaitLeader(topic, p);
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
    }

    /** Produces {@code count} records "topic-i" round-robin over the partitions (keyless, explicit partition). */
    List<String> produce(String topic, int partitions, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String value = topic + "-" + i;
                producer.send(new ProducerRecord<>(topic, i % partitions, null, value)).get();
                values.add(value);
            }
        }
        return values;
    }

    KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "3000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "30000");
        props.putAll(extra);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        open.add(consumer);
        return consumer;
    }

    /** Polls every consumer briefly, in turn, collecting what each receives. */
    static void pollAll(List<KafkaConsumer<String, String>> consumers, Map<KafkaConsumer<String, String>, List<String>> received) {
        for (KafkaConsumer<String, String> consumer : consumers) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                received.computeIfAbsent(consumer, c -> new ArrayList<>()).add(record.value());
            }
        }
    }

    /** Whether the assignments are disjoint and cover exactly {@code partitions}. */
    static boolean disjointAndCovering(List<KafkaConsumer<String, String>> consumers, Set<TopicPartition> partitions) {
        List<TopicPartition> all = new ArrayList<>();
        consumers.forEach(c -> all.addAll(c.assignment()));
        return all.size() == partitions.size() && Set.copyOf(all).equals(partitions);
    }

    void closeQuietly(AutoCloseable client) {
        open.remove(client);
        try {
            if (client instanceof KafkaConsumer<?, ?> consumer) {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
            } else {
                client.close();
            }
        } catch (Exception ignored) {
            // the test already decided
        }
    }

    @Override
    public void close() {
        for (AutoCloseable client : List.copyOf(open)) {
            closeQuietly(client);
        }
    }
}
