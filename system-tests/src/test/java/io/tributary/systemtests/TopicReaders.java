package io.tributary.systemtests;

import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.serde.Serdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole partitions from the beginning to given end offsets, with the official Java consumer or with
 * client-sdk's, both in assign mode, handing every record to a sink in the order the client returns it.
 * The loops are bounded: a reader that stops making progress fails with the positions it reached.
 */
public final class TopicReaders {

    /** Bounds a full read; only there so a broken broker cannot hang the build. */
    private static final Duration READ_LIMIT = Duration.ofSeconds(120);

    private TopicReaders() {
    }

    /** The log end offsets (high watermarks) of partitions 0..partitions-1, from the official client. */
    public static Map<Integer, Long> endOffsets(String bootstrap, String topic, int partitions) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafkaConsumerProps(bootstrap))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            Map<Integer, Long> ends = new TreeMap<>();
            consumer.endOffsets(tps, Duration.ofSeconds(30)).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        }
    }

    public static void readWithKafkaConsumer(String bootstrap, String topic, Map<Integer, Long> endOffsets,
                                             java.util.function.Consumer<ConsumedRecord> sink) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafkaConsumerProps(bootstrap))) {
            List<TopicPartition> tps = endOffsets.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<Integer, Long> positions = new HashMap<>();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!reached(positions, endOffsets)) {
                failIfPast(deadline, "official consumer", topic, positions, endOffsets);
                for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    sink.accept(ConsumedRecord.of(r));
                    positions.merge(r.partition(), r.offset() + 1, Math::max);
                }
            }
        }
    }

    public static void readWithSdkConsumer(String bootstrap, String topic, Map<Integer, Long> endOffsets,
                                           java.util.function.Consumer<ConsumedRecord> sink) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("client.id", "system-tests-sdk-reader");
        props.put("auto.offset.reset", "earliest");
        props.put("max.poll.records", "2000");
        try (Consumer<String, String> consumer = new Consumer<>(props, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            List<io.tributary.client.common.TopicPartition> tps = endOffsets.keySet().stream()
                    .map(p -> new io.tributary.client.common.TopicPartition(topic, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<Integer, Long> positions = new HashMap<>();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!reached(positions, endOffsets)) {
                failIfPast(deadline, "client-sdk consumer", topic, positions, endOffsets);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    sink.accept(ConsumedRecord.of(r));
                    positions.merge(r.partition(), r.offset() + 1, Math::max);
                }
            }
        }
    }

    static Properties kafkaConsumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "system-tests-kafka-reader");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return props;
    }

    private static boolean reached(Map<Integer, Long> positions, Map<Integer, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static void failIfPast(long deadline, String reader, String topic, Map<Integer, Long> positions, Map<Integer, Long> ends) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError(reader + " stopped making progress on " + topic + ": reached " + new TreeMap<>(positions)
                    + " of end offsets " + ends);
        }
    }
}
