package io.tributary.systemtests;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.RebalanceListener;
import io.tributary.client.serde.Serdes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One member of a consumer group, run as its own process by {@link GroupMembers}: a client-sdk {@code Consumer}
 * or an official {@code KafkaConsumer} (group.protocol=classic) subscribed to one topic. It prints, flushed at
 * once so a kill -9 loses nothing already printed:
 * <pre>
 * ASSIGNMENT 0,3,5        its partitions after each change (revoked, assigned, lost)
 * RECORD 3 17 value       each record it processed: partition, offset, value
 * </pre>
 * and exits, closing the consumer (commit, LeaveGroup), once the stop file exists.
 *
 * <p>Arguments: {@code sdk|official bootstrap group topic assignor stopFile [key=value ...]} (consumer settings).
 */
public final class GroupMemberMain {

    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private GroupMemberMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String bootstrap = args[1];
        String group = args[2];
        String topic = args[3];
        String assignor = args[4];
        Path stop = Path.of(args[5]);
        Properties settings = new Properties();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        if (kind.equals("sdk")) {
            runSdk(bootstrap, group, topic, assignor, stop, settings);
        } else {
            runOfficial(bootstrap, group, topic, assignor, stop, settings);
        }
    }

    private static void runSdk(String bootstrap, String group, String topic, String assignor, Path stop, Properties settings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("partition.assignment.strategy", assignor);
        p.putAll(settings);
        try (Consumer<String, String> consumer = new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            consumer.subscribe(List.of(topic), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Set<TopicPartition> now = new TreeSet<>(consumer.assignment());
                    now.removeAll(partitions);
                    printAssignment(now.stream().map(TopicPartition::partition).toList());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    printAssignment(consumer.assignment().stream().map(TopicPartition::partition).toList());
                }
            });
            while (!Files.exists(stop) && parentAlive()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    OUT.println("RECORD " + r.partition() + " " + r.offset() + " " + r.value());
                }
            }
        }
    }

    private static void runOfficial(String bootstrap, String group, String topic, String assignor, Path stop, Properties settings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("group.protocol", "classic");
        p.put("auto.offset.reset", "earliest");
        p.put("partition.assignment.strategy", switch (assignor) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
            default -> throw new IllegalArgumentException("unknown assignor " + assignor);
        });
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.putAll(settings);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    Set<Integer> now = consumer.assignment().stream().filter(tp -> !partitions.contains(tp))
                            .map(org.apache.kafka.common.TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
                    printAssignment(List.copyOf(now));
                }

                @Override
                public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                    printAssignment(consumer.assignment().stream().map(org.apache.kafka.common.TopicPartition::partition).toList());
                }
            });
            while (!Files.exists(stop) && parentAlive()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> OUT.println("RECORD " + r.partition() + " " + r.offset() + " " + r.value()));
            }
        }
    }

    /** A member whose test JVM died (kill, Ctrl-C) stops too, instead of polling forever. */
    private static boolean parentAlive() {
        return ProcessHandle.current().parent().map(ProcessHandle::isAlive).orElse(false);
    }

    private static void printAssignment(List<Integer> partitions) {
        OUT.println("ASSIGNMENT " + new TreeSet<>(partitions).stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
}
