package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.Admin;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.serde.Serdes;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code __consumer_offsets} stays bounded however often a group commits (issue 6, "What it must show"): with
 * 16 KiB offsets segments and a cleaner that looks for work every 200 ms, a client-sdk consumer commits all of
 * its 12 partitions every 100 ms for 30 s ({@code -Doffsets.compaction.seconds=N} for longer, by hand). Then
 * the group's offsets partition, on every replica's disk, is a small fraction of the bytes the commits wrote; read
 * from the beginning it holds far fewer records than were committed; OffsetFetch still returns the last commit;
 * and after every broker was restarted (the coordinator loading the group from the compacted log) it still does.
 */
class OffsetsTopicCompactionTest {

    private static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final int OFFSETS_PARTITIONS = 5;
    private static final String TOPIC = "committed-often";
    private static final int TOPIC_PARTITIONS = 12;
    private static final String GROUP = "busy-committer";
    private static final int SEGMENT_BYTES = 16_384;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3)
            .brokerSetting("offsets.topic.num.partitions", Integer.toString(OFFSETS_PARTITIONS))
            .brokerSetting("offsets.topic.segment.bytes", Integer.toString(SEGMENT_BYTES))
            .brokerSetting("log.cleaner.backoff.ms", "200"));

    @Test
    void theOffsetsPartitionStaysBoundedAndKeepsTheLatestCommitAcrossRestarts() throws Exception {
        ClusterProcesses c = cluster.get();
        long seconds = Long.getLong("offsets.compaction.seconds", 30);
        c.admin().createTopics(List.of(new NewTopic(TOPIC, TOPIC_PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(TOPIC, TOPIC_PARTITIONS);
        int offsetsPartition = Utils.abs(GROUP.hashCode()) % OFFSETS_PARTITIONS;

        Map<TopicPartition, Long> lastCommit = new TreeMap<>();
        long commits = 0;
        long largestDuringRun = 0; // the largest replica seen while the commits went on, sampled every 50 commits
        Properties p = new Properties();
        p.put("bootstrap.servers", c.bootstrap());
        p.put("group.id", GROUP);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        try (Consumer<String, String> consumer = new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await("the consumer owns all " + TOPIC_PARTITIONS + " partitions").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        consumer.poll(Duration.ofMillis(100));
                        return consumer.assignment().size() == TOPIC_PARTITIONS;
                    });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(100));
                commits++;
                for (int partition = 0; partition < TOPIC_PARTITIONS; partition++) {
                    // Offsets are not checked against the log end (as in Kafka); each commit moves every partition.
                    lastCommit.put(new TopicPartition(TOPIC, partition), commits * 10 + partition);
                }
                consumer.commitSync(lastCommit);
                if (commits % 50 == 0) {
                    for (int broker : c.brokerIds()) {
                        largestDuringRun = Math.max(largestDuringRun, logBytes(c.replicaDir(broker, OFFSETS_TOPIC, offsetsPartition)));
                    }
                }
            }
        }
        Map<TopicPartition, Long> expected = Map.copyOf(lastCommit);

        // What the commits wrote: every record takes an offset, and compaction never changes offsets, so the
        // partition's log end offset counts every record ever written to it.
        OffsetsPartition read = readOffsetsPartition(c.bootstrap(), offsetsPartition);
        long recordsWritten = read.logEndOffset();
        long commitRecords = commits * TOPIC_PARTITIONS;
        assertTrue(recordsWritten >= commitRecords, "every committed offset is a record: " + recordsWritten + " < " + commitRecords);
        long bytesCommitted = Math.round(recordsWritten * read.payloadBytesPerRecord());

        // The cleaner catches up with the (no longer growing) log; then every replica is small and holds few records.
        Map<Integer, Long> sizes = new TreeMap<>();
        await("every replica of " + OFFSETS_TOPIC + "-" + offsetsPartition + " compacted below a tenth of the "
                + bytesCommitted + " bytes committed; now " + sizes).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (int broker : c.brokerIds()) {
                        sizes.put(broker, logBytes(c.replicaDir(broker, OFFSETS_TOPIC, offsetsPartition)));
                    }
                    return sizes.size() == 3 && sizes.values().stream().allMatch(s -> s > 0 && s * 10 < bytesCommitted);
                });
        assertTrue(largestDuringRun * 2 < bytesCommitted, "the partition stayed bounded while the group committed: "
                + largestDuringRun + " bytes on a replica at most, of " + bytesCommitted + " committed");
        OffsetsPartition compacted = readOffsetsPartition(c.bootstrap(), offsetsPartition);
        System.out.printf("offsets compaction over %d s: %d commits of %d partitions, %d records and about %d bytes written "
                + "(key+value payload) to %s-%d; at most %d bytes on a replica during the run; on disk at the end %s bytes per replica; "
                + "%d records kept (%d offset commits)%n",
                seconds, commits, TOPIC_PARTITIONS, recordsWritten, bytesCommitted, OFFSETS_TOPIC, offsetsPartition,
                largestDuringRun, sizes,
                compacted.records(), compacted.commitsOf(GROUP));
        assertTrue(compacted.records() * 5 < commitRecords,
                "compaction keeps far fewer records than the " + commitRecords + " committed: " + compacted.records());
        assertEquals(expected, compacted.latestCommits(GROUP), "the log's newest commit per partition is the last commit");

        try (Admin admin = sdkAdmin(c.bootstrap())) {
            assertEquals(expected, admin.listGroupOffsets(GROUP), "OffsetFetch returns the last commit");
        }

        // Every broker restarted: whichever becomes the coordinator loads the group from its compacted replica.
        for (int broker : c.brokerIds()) {
            c.stop(broker);
        }
        c.startAll();
        try (Admin admin = sdkAdmin(c.bootstrap())) {
            Map<TopicPartition, Long> afterRestart = new HashMap<>();
            await("the group's offsets after a restart of every broker").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        afterRestart.clear();
                        afterRestart.putAll(admin.listGroupOffsets(GROUP));
                        return !afterRestart.isEmpty();
                    });
            assertEquals(expected, afterRestart, "the last commit survives a restart, loaded from the compacted log");
        }
    }

    private static Admin sdkAdmin(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "30000");
        return new Admin(p);
    }

    /** Bytes of the replica's segment files ({@code .log}); indexes are not the data. */
    private static long logBytes(Path replicaDir) throws IOException {
        if (!Files.isDirectory(replicaDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(replicaDir)) {
            long total = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                try {
                    total += Files.size(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    // the cleaner replaced or deleted the segment since the listing
                }
            }
            return total;
        }
    }

    /** The records of one {@code __consumer_offsets} partition, read from its start with an assigned official consumer. */
    private record OffsetsPartition(long logEndOffset, List<ConsumerRecord<byte[], byte[]>> all) {
        long records() {
            return all.size();
        }

        /** Key + value bytes per record: what each commit at least wrote (batch and record headers come on top). */
        double payloadBytesPerRecord() {
            return all.stream().mapToLong(r -> Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize()))
                    .average().orElse(0);
        }

        long commitsOf(String group) {
            return all.stream().filter(r -> offsetKeyOf(r, group) != null).count();
        }

        /** The newest committed offset per partition of {@code group}, as the log holds them. */
        Map<TopicPartition, Long> latestCommits(String group) {
            Map<TopicPartition, Long> latest = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : all) {
                TopicPartition tp = offsetKeyOf(r, group);
                if (tp == null) {
                    continue;
                }
                if (r.value() == null) {
                    latest.remove(tp);
                } else {
                    // OffsetCommitValue: version (int16), then the offset (int64) in every version.
                    latest.put(tp, ByteBuffer.wrap(r.value()).getLong(2));
                }
            }
            return latest;
        }

        /** The (topic, partition) of an OffsetCommitKey (key versions 0 and 1) of {@code group}, else null. */
        private static TopicPartition offsetKeyOf(ConsumerRecord<byte[], byte[]> r, String group) {
            ByteBuffer key = ByteBuffer.wrap(r.key());
            short version = key.getShort();
            if (version > 1) {
                return null;
            }
            String g = readString(key);
            String topic = readString(key);
            int partition = key.getInt();
            return g.equals(group) ? new TopicPartition(topic, partition) : null;
        }

        private static String readString(ByteBuffer b) {
            byte[] bytes = new byte[b.getShort()];
            b.get(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static OffsetsPartition readOffsetsPartition(String bootstrap, int partition) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(OFFSETS_TOPIC, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + tp + " up to " + end + "; at " + consumer.position(tp));
                }
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(all::add);
            }
            return new OffsetsPartition(end, all);
        }
    }
}
