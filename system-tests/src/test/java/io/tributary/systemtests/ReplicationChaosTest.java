package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replication correctness test: an idempotent acks=all producer writes numbered records without pause into
 * an RF=3, 6-partition topic (min.insync.replicas=2) while faults hit the 3 brokers one at a time: kill -9 (of
 * a partition leader at least every other time) and a restart, SIGSTOP of a leader until its ZooKeeper session
 * has expired (at least once) and SIGCONT, and short SIGSTOPs well inside the session. At most one broker is
 * down at a time, and the next fault waits until it is back (registered, ISR full again, or a bounded wait).
 *
 * <p>At the end (all brokers up, producer flushed and closed): every send succeeded; every acknowledged record
 * is read exactly at the partition and offset it was acknowledged at, with its content; offsets run 0..n-1 with
 * no record twice (the broker deduplicates the producer's retries); and on disk all three replicas of each
 * partition hold byte-identical batches up to the high watermark and nothing past it. A summary line (records
 * sent / acknowledged, faults by kind, records lost) goes to the test output and to
 * {@code target/chaos-summary.txt}.
 *
 * <p>CI runs about 75 s of chaos (about 12 faults; at least 4, one SIGSTOP past the session timeout among them).
 * {@code -Dchaos.minutes=10} runs at least 10 minutes and at least 100 faults ({@code -Dchaos.minFaults=N}
 * overrides); {@code -Dchaos.seed=N} repeats the fault choices, {@code -Dchaos.rate=N} sets records per second.
 */
class ReplicationChaosTest {

    private static final String TOPIC = "chaos";
    private static final int PARTITIONS = 6;
    private static final int VALUE_BYTES = 100;
    /**
     * Record timestamps start at the test's start, not at a fixed date: a segment rolls once its first batch's
     * timestamp is segment.ms (7 days) old (KIP-33), so old timestamps would roll a segment at every batch.
     */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis();
    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);

    enum Fault {
        KILL("kill -9 + restart"), LONG_PAUSE("SIGSTOP past the session timeout"), SHORT_PAUSE("SIGSTOP of 1 s");

        final String description;

        Fault(String description) {
            this.description = description;
        }
    }

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3).brokerSetting("log.segment.bytes", "1048576"));

    @Test
    void acknowledgedRecordsSurviveKillsAndPausesAndReplicasEndByteIdentical() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "1.25"));
        int rate = Integer.getInteger("chaos.rate", 1000);
        // A fault cycle takes about six seconds on 2 cores. Long runs ask for 10 faults a minute (so
        // -Dchaos.minutes=10 means 100+ faults, running on past 10 minutes if needed); the CI form for 4.
        int minFaults = Integer.getInteger("chaos.minFaults", minutes >= 5 ? (int) Math.round(minutes * 10) : 4);
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Duration chaos = Duration.ofMillis((long) (minutes * 60_000));
        Random random = new Random(seed);
        log("chaos: %s of faults (at least %d), %d records/s, seed %d (-Dchaos.seed=%d repeats the fault choices)", chaos, minFaults,
                rate, seed, seed);

        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(TOPIC, PARTITIONS);
        assertTrue(c.awaitIsrContains(TOPIC, PARTITIONS, c.brokerIds(), Duration.ofSeconds(60)), "ISR of a new topic: " + c.isr(TOPIC));

        AckLedger ledger = new AckLedger("chaos", (int) Math.min(Integer.MAX_VALUE - 8, rate * (chaos.toSeconds() + 900L)));
        Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        int leaderKills = 0;
        int isrNotBack = 0;
        int sent;
        long started = System.nanoTime();
        try (ContinuousWriter writer = new ContinuousWriter(Producers.kafkaIdempotent(c.bootstrap(), "chaos"), TOPIC, ledger,
                BASE_TIMESTAMP, VALUE_BYTES, rate, 5000).start()) {
            writer.awaitAcknowledged(1000, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + chaos.toNanos();
            for (int n = 0; System.nanoTime() < deadline || total(faults) < minFaults || faults.getOrDefault(Fault.LONG_PAUSE, 0) == 0; n++) {
                Fault fault = n == 1 ? Fault.LONG_PAUSE : pick(random);
                Map<Integer, Integer> leaders = c.awaitLeaders(TOPIC, PARTITIONS);
                // Long pauses and every other kill hit the leader of a random partition; the rest any broker.
                boolean leaderOnly = fault == Fault.LONG_PAUSE || (fault == Fault.KILL && faults.getOrDefault(Fault.KILL, 0) % 2 == 0);
                int victim = leaderOnly
                        ? leaders.get(random.nextInt(PARTITIONS))
                        : List.copyOf(c.brokerIds()).get(random.nextInt(c.brokerIds().size()));
                long led = leaders.values().stream().filter(id -> id == victim).count();
                long faultStart = System.nanoTime();
                switch (fault) {
                    case KILL -> {
                        c.kill(victim);
                        c.restart(victim);
                        if (led > 0) {
                            leaderKills++;
                        }
                    }
                    case LONG_PAUSE -> {
                        c.pause(victim);
                        c.awaitUnregistered(victim); // the session expired: the cluster saw it go
                        c.resume(victim);
                        c.awaitRegisteredId(victim); // it registers again by itself
                    }
                    case SHORT_PAUSE -> {
                        c.pause(victim);
                        Thread.sleep(1000);
                        c.resume(victim);
                    }
                }
                faults.merge(fault, 1, Integer::sum);
                boolean back = c.awaitIsrContains(TOPIC, PARTITIONS, c.brokerIds(), BACK_WITHIN);
                if (!back) {
                    isrNotBack++;
                }
                log("chaos: fault %d at %.0f s: %s of broker %d (leader of %d partitions); %s after %.1f s; %d acknowledged so far",
                        n + 1, seconds(started), fault.description, victim, led,
                        back ? "ISR full again" : "ISR NOT full again (" + safeIsr(c) + ")", seconds(faultStart), ledger.ackedCount());
            }
            sent = writer.stop();
        }
        double chaosSeconds = seconds(started);

        // End state: everyone back and in sync, nothing in flight.
        assertTrue(c.awaitIsrContains(TOPIC, PARTITIONS, c.brokerIds(), Duration.ofSeconds(120)), "final ISR: " + safeIsr(c));
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, PARTITIONS);
        LogContentCheck check = new LogContentCheck("official consumer", Map.of(ledger.source(), ledger), PARTITIONS,
                BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, check::accept);
        String contentFailure = check.complete(ends);

        List<String> replicaProblems = new ArrayList<>();
        boolean reached = Replicas.awaitReplicasReach(c, TOPIC, ends, c.brokerIds(), Duration.ofSeconds(120));
        int identical = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> differences = Replicas.differencesBelow(c, TOPIC, p, ends.get(p), c.brokerIds());
            Map<Integer, Long> replicaEnds = Replicas.logEndOffsets(c, TOPIC, p, c.brokerIds());
            for (Map.Entry<Integer, Long> e : replicaEnds.entrySet()) {
                if (e.getValue() != ends.get(p).longValue()) {
                    differences.add("broker " + e.getKey() + "'s replica of " + TOPIC + "-" + p + " ends at " + e.getValue()
                            + ", not at the high watermark " + ends.get(p));
                }
            }
            if (differences.isEmpty()) {
                identical++;
            }
            replicaProblems.addAll(differences);
        }

        String summary = String.format("CHAOS SUMMARY: %.0f s of chaos (seed %d, %d records/s): records sent %d / acknowledged %d / "
                        + "failed %d; faults %d (kill -9: %d, of a leader: %d; SIGSTOP past session timeout: %d; short SIGSTOP: %d; "
                        + "ISR not full again within %d s: %d); records lost %d, duplicated %d, misplaced %d; "
                        + "replicas byte-identical up to the high watermark: %d of %d partitions; end offsets %s",
                chaosSeconds, seed, rate, sent, ledger.ackedCount(), ledger.failedCount(), total(faults),
                faults.getOrDefault(Fault.KILL, 0), leaderKills, faults.getOrDefault(Fault.LONG_PAUSE, 0),
                faults.getOrDefault(Fault.SHORT_PAUSE, 0), BACK_WITHIN.toSeconds(), isrNotBack, check.lost(), check.duplicates(),
                check.misplaced(), identical, PARTITIONS, new TreeMap<>(ends));
        log("%s", summary);
        appendToSummaryFile(summary);

        assertEquals("", ledger.problems(sent), "every send of the idempotent acks=all producer must succeed");
        assertEquals(null, contentFailure, "what the consumer read");
        assertTrue(reached, "every replica must reach the high watermark: " + replicaEnds(c, ends));
        assertEquals(List.of(), replicaProblems, "replicas on disk");
        assertEquals(0, check.lost(), "records lost");
    }

    private static Fault pick(Random random) {
        int roll = random.nextInt(100);
        return roll < 20 ? Fault.LONG_PAUSE : roll < 35 ? Fault.SHORT_PAUSE : Fault.KILL;
    }

    private static int total(Map<Fault, Integer> faults) {
        return faults.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String safeIsr(ClusterProcesses c) {
        try {
            return c.isr(TOPIC).toString();
        } catch (Exception e) {
            return "(unknown: " + e + ")";
        }
    }

    private static String replicaEnds(ClusterProcesses c, Map<Integer, Long> ends) {
        StringBuilder text = new StringBuilder();
        for (int p : ends.keySet()) {
            text.append(TOPIC).append('-').append(p).append(" hw ").append(ends.get(p)).append(": ")
                    .append(Replicas.logEndOffsets(c, TOPIC, p, c.brokerIds())).append("; ");
        }
        return text.toString();
    }

    private static void log(String format, Object... args) {
        System.out.println(LocalDateTime.now() + " " + String.format(format, args));
    }

    private static void appendToSummaryFile(String summary) {
        try {
            Path file = Path.of("target", "chaos-summary.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, LocalDateTime.now() + " " + summary + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write target/chaos-summary.txt: " + e);
        }
    }
}
