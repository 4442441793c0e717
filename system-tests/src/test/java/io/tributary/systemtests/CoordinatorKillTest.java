package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.GroupDescription;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.serde.Serdes;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of a consumer group's coordinator broker while the group consumes and commits (issue 6, "What it must
 * show"): the members find the new coordinator (the new leader of the group's {@code __consumer_offsets}
 * partition, which loads the group from its replica of the log), consumption finishes with every produced record
 * processed, and no committed offset ever goes backwards: a separate watcher reads the group's committed offsets
 * (Admin OffsetFetch) every 100 ms for the whole run, across the failover, and each partition's series must never
 * decrease. At the end the committed offsets are the log end offsets.
 *
 * <p>The members are client-sdk consumers in this JVM (the brokers are what gets killed); they process slowly
 * on purpose, so the kill lands in the middle of the stream and many commits go to the new coordinator.
 */
class CoordinatorKillTest {

    private static final String TOPIC = "coordinated";
    private static final String GROUP = "survivors";
    private static final int PARTITIONS = 6;
    /** {@code -Dcoordinator.records=N} and {@code -Dcoordinator.kills=K} for a longer run by hand (K kills, each
     * broker restarted and back in the ISR before the next). */
    private static final int RECORDS = Integer.getInteger("coordinator.records", 30_000);
    private static final int KILLS = Integer.getInteger("coordinator.kills", 1);
    private static final int OFFSETS_PARTITION = Utils.abs(GROUP.hashCode()) % 50;
    private static final int MEMBERS = 3;
    /** Each member commits (commitSync) once it processed this many records since its last commit. */
    private static final int COMMIT_EVERY = 300;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @Test
    void killingTheGroupCoordinatorLosesNoRecordAndNoCommittedOffsetGoesBackwards() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(TOPIC, PARTITIONS);
        Set<String> produced = produceAll(c.bootstrap());

        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        List<String> commitFailures = new CopyOnWriteArrayList<>();
        List<Throwable> memberErrors = new CopyOnWriteArrayList<>();
        List<Thread> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            Thread t = new Thread(() -> runMember(c.bootstrap(), processed, stop, commits, commitFailures, memberErrors),
                    "group-member-" + m);
            t.start();
            members.add(t);
        }
        try (Admin admin = sdkAdmin(c.bootstrap()); CommittedOffsetsWatcher watcher = new CommittedOffsetsWatcher(sdkAdmin(c.bootstrap()))) {
            watcher.start();
            await("the group is Stable with " + MEMBERS + " members").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        GroupDescription g = admin.describeGroups(List.of(GROUP)).get(GROUP);
                        return g.state().equals("Stable") && g.members().size() == MEMBERS;
                    });
            List<Integer> coordinators = new ArrayList<>();
            long commitsAtKill = 0;
            int commitFailuresAtKill = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                int threshold = RECORDS * kill / (KILLS + 2);
                await("records processed up to kill " + kill + " and some offsets committed").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> processed.size() >= threshold && !watcher.latest().isEmpty());
                int coordinator = admin.describeGroups(List.of(GROUP)).get(GROUP).coordinator().id();
                if (coordinators.isEmpty() || coordinators.get(coordinators.size() - 1) != coordinator) {
                    coordinators.add(coordinator); // first, or moved back to a restarted preferred leader
                }
                int processedAtKill = processed.size();
                assertTrue(processedAtKill < (kill == 1 ? RECORDS * 2 / (KILLS + 2) : RECORDS),
                        "kill " + kill + " must land mid-stream; processed already " + processedAtKill);
                Map<TopicPartition, Long> beforeKill = watcher.latest();
                commitsAtKill = commits.get();
                commitFailuresAtKill = commitFailures.size();
                c.kill(coordinator);
                System.out.printf("kill -9 of broker %d, coordinator of group %s (__consumer_offsets-%d), after %d of %d records "
                        + "processed; committed then: %s%n", coordinator, GROUP, OFFSETS_PARTITION, processedAtKill, RECORDS, beforeKill);

                int[] next = new int[1];
                await("a new coordinator for the group").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions().until(() -> {
                            next[0] = admin.describeGroups(List.of(GROUP)).get(GROUP).coordinator().id();
                            return next[0] != coordinator;
                        });
                coordinators.add(next[0]);
                if (kill < KILLS) {
                    // Back in the ISR before the next kill, so the offsets partition always keeps a replica.
                    c.restart(coordinator);
                    assertTrue(c.awaitIsrContains("__consumer_offsets", 50, c.brokerIds(), Duration.ofSeconds(90)),
                            "broker " + coordinator + " back in the ISR of every offsets partition");
                }
            }
            long commitsAfterLastKill = commitsAtKill;
            int commitFailuresAfterLastKill = commitFailuresAtKill;

            await("every produced record processed by the group; processed " + processed.size() + " of " + RECORDS)
                    .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> processed.size() >= RECORDS || !memberErrors.isEmpty());
            assertEquals(List.of(), memberErrors, "group members failed");
            assertEquals(produced, processed.keySet(), "the union of what the group processed is exactly what was produced");
            assertTrue(commits.get() > commitsAfterLastKill, "members committed to the new coordinator too");

            Map<TopicPartition, Long> logEnd = logEndOffsets(c);
            await("the committed offsets reach the log end offsets " + logEnd).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> watcher.latest().equals(logEnd));
            stop.set(true);
            for (Thread t : members) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            watcher.close();

            List<String> regressions = watcher.regressions();
            long duplicates = processed.values().stream().filter(n -> n.get() > 1).count();
            System.out.printf("coordinator kill: %d records produced and processed (%d more than once, which at-least-once "
                    + "allows); coordinators %s; %d commits (%d after the last kill; %d failed and were retried, %d of them after the last "
                    + "kill: %s); %d reads "
                    + "of the committed offsets (%d failed during the failover), %d partition regressions%n",
                    RECORDS, duplicates, coordinators, commits.get(), commits.get() - commitsAfterLastKill,
                    commitFailures.size(), commitFailures.size() - commitFailuresAfterLastKill,
                    commitFailures.subList(commitFailuresAfterLastKill, commitFailures.size()).stream().distinct().limit(5).toList(),
                    watcher.observations(),
                    watcher.failures(), regressions.size());
            assertEquals(List.of(), regressions, "no committed offset ever went backwards");
            assertEquals(logEnd, watcher.latest(), "the final committed offsets are the log end offsets");
            assertEquals(logEnd, admin.listGroupOffsets(GROUP), "the final committed offsets are the log end offsets");
        } finally {
            stop.set(true);
            for (Thread t : members) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        // Leave the cluster whole: the killed broker recovers its log and rejoins the offsets partition's ISR.
        c.ensureAllRunning();
    }

    /** 30,000 records "r-i" with acks=all (idempotent), spread over every partition by key. */
    private static Set<String> produceAll(String bootstrap) throws Exception {
        Set<String> values = new java.util.HashSet<>();
        try (KafkaProducer<String, String> producer = Producers.kafkaIdempotent(bootstrap, "coordinator-kill-producer")) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                String value = "r-" + i;
                sent.add(producer.send(new ProducerRecord<>(TOPIC, "k-" + i, value)));
                values.add(value);
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return values;
    }

    /**
     * One group member: polls, processes each record (about 2 ms each, so the stream lasts long enough for a
     * kill in the middle), and commits every {@link #COMMIT_EVERY} records and whenever it has caught up. A commit
     * that fails (coordinator gone, loading, rebalance) is counted and left to the next one: at-least-once.
     */
    private static void runMember(String bootstrap, Map<String, AtomicInteger> processed, AtomicBoolean stop, AtomicLong commits,
                                  List<String> commitFailures, List<Throwable> errors) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", GROUP);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "100");
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("request.timeout.ms", "10000");
        p.put("retry.backoff.ms", "100");
        try (Consumer<String, String> consumer = new Consumer<>(p, Serdes.string().deserializer(), Serdes.string().deserializer())) {
            consumer.subscribe(List.of(TOPIC));
            int sinceCommit = 0;
            while (!stop.get()) {
                List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    processed.computeIfAbsent(r.value(), v -> new AtomicInteger()).incrementAndGet();
                }
                sinceCommit += records.size();
                if (!records.isEmpty()) {
                    Thread.sleep(2L * records.size());
                }
                if (sinceCommit >= COMMIT_EVERY || (records.isEmpty() && sinceCommit > 0)) {
                    try {
                        consumer.commitSync();
                        commits.incrementAndGet();
                        sinceCommit = 0;
                    } catch (TributaryException e) { // CommitFailedException (a rebalance) included
                        commitFailures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                if (records.isEmpty() && sinceCommit == 0) {
                    // Caught up: commit the positions now and then, so an idle member's partitions end at the log end.
                    try {
                        consumer.commitSync();
                    } catch (TributaryException e) { // CommitFailedException (a rebalance) included
                        commitFailures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static Admin sdkAdmin(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "5000");
        p.put("retry.backoff.ms", "100");
        return new Admin(p);
    }

    private static Map<TopicPartition, Long> logEndOffsets(ClusterProcesses c) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, OffsetSpec> request = new TreeMap<>(
                java.util.Comparator.comparingInt(org.apache.kafka.common.TopicPartition::partition));
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new org.apache.kafka.common.TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        return c.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(e -> new TopicPartition(TOPIC, e.getKey().partition()), e -> e.getValue().offset()));
    }

    /**
     * Reads the group's committed offsets every 100 ms on its own thread, through its own Admin, and keeps every
     * partition's series; a value lower than the one before it is a regression. A read that fails (the coordinator
     * was just killed, the new one is loading) is counted and retried at the next tick.
     */
    private static final class CommittedOffsetsWatcher implements AutoCloseable {
        private final Admin admin;
        private final Map<TopicPartition, List<Long>> series = new ConcurrentHashMap<>();
        private final List<String> regressions = new CopyOnWriteArrayList<>();
        private final AtomicLong observations = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Map<TopicPartition, Long> latest = Map.of();
        private final Thread thread = new Thread(this::run, "committed-offsets-watcher");

        CommittedOffsetsWatcher(Admin admin) {
            this.admin = admin;
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (!closed.get()) {
                try {
                    Map<TopicPartition, Long> now = admin.listGroupOffsets(GROUP);
                    for (Map.Entry<TopicPartition, Long> e : now.entrySet()) {
                        List<Long> values = series.computeIfAbsent(e.getKey(), k -> new CopyOnWriteArrayList<>());
                        if (!values.isEmpty() && e.getValue() < values.get(values.size() - 1)) {
                            regressions.add(e.getKey() + ": " + values.get(values.size() - 1) + " -> " + e.getValue()
                                    + " at read " + observations.get());
                        }
                        values.add(e.getValue());
                    }
                    Set<TopicPartition> vanished = latest.keySet().stream().filter(tp -> !now.containsKey(tp)).collect(Collectors.toSet());
                    if (!vanished.isEmpty()) {
                        regressions.add("committed offsets of " + vanished + " disappeared at read " + observations.get());
                    }
                    latest = Map.copyOf(now);
                    observations.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long observations() {
            return observations.get();
        }

        long failures() {
            return failures.get();
        }

        Map<TopicPartition, Long> latest() {
            return latest;
        }

        List<String> regressions() {
            return List.copyOf(regressions);
        }

        @Override
        public void close() throws InterruptedException {
            if (closed.compareAndSet(false, true)) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                admin.close();
            }
        }
    }
}
