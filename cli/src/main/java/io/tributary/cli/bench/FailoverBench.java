package io.tributary.cli.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * bin/bench-failover's measurement: the time from a fault of a partition's leader until an acks=all
 * write to that partition succeeds again. The probe is Kafka's own producer (kafka-clients, acks=all,
 * idempotent, small backoffs) sending one record every few milliseconds to the partition, so Tributary
 * and Apache Kafka are measured by the same client: the figure is from the fault to the acknowledgement
 * of the first record sent after it. Faults: kill -9 of the leader; SIGSTOP (SIGCONT once measured);
 * a controlled stop. After each run the broker is brought back and every ISR is full again before the
 * next; each run waits for a quiet machine first.
 */
@Command(name = "bench-failover", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time from a leader fault until an acks=all write to its partition succeeds again.")
public final class FailoverBench implements Callable<Integer> {

    enum Fault {
        kill("kill -9 of the leader"), pause("SIGSTOP of the leader"), stop("controlled stop of the leader");

        final String what;

        Fault(String what) {
            this.what = what;
        }
    }

    @Option(names = "--bootstrap-server", required = true, description = "The cluster to measure.")
    String bootstrap;

    @Option(names = "--label", defaultValue = "cluster", description = "Name of the system in the output (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--pid-file", required = true, description = "Pid file of broker {id}, e.g. run/broker-{id}/broker.pid.")
    String pidFile;

    @Option(names = "--start-cmd", required = true, description = "Shell command that starts broker {id} and returns once it is up.")
    String startCmd;

    @Option(names = "--stop-cmd", description = "Shell command for a controlled stop of broker {id} (pid {pid}); default: SIGTERM and wait.")
    String stopCmd;

    @Option(names = "--faults", split = ",", defaultValue = "kill,pause,stop", description = "Faults to measure (default: ${DEFAULT-VALUE}).")
    List<Fault> faults;

    @Option(names = "--runs", defaultValue = "5", description = "Runs per fault (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--topic", defaultValue = "bench-failover", description = "Probe topic: 3 partitions, RF=3, min.insync.replicas=2 (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--interval-ms", defaultValue = "5", description = "One probe record every this many ms (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--request-timeout-ms", defaultValue = "1000",
            description = "The probe's request.timeout.ms: how soon it gives up on a paused leader (default: ${DEFAULT-VALUE}).")
    int requestTimeoutMs;

    @Option(names = "--max-load", defaultValue = "1.0", description = "Wait before each run until the 1-minute load is below this (default: ${DEFAULT-VALUE}).")
    double maxLoad;

    @Option(names = "--quiet-wait-s", defaultValue = "600", description = "Wait at most this long for a quiet machine (default: ${DEFAULT-VALUE}).")
    long quietWaitS;

    private final PrintStream out = System.out;
    private final PrintStream log = System.err;

    /** The partition the probe writes to (changes between runs, to follow a non-controller leader). */
    private volatile int probePartition;
    private volatile boolean probing = true;
    private volatile long markNanos = Long.MAX_VALUE;
    private final AtomicLong firstAckAfterMark = new AtomicLong();
    /** Records sent from the mark until this moment count towards the longest stall. */
    private volatile long windowStartNanos = Long.MAX_VALUE;
    private volatile long windowEndNanos = Long.MAX_VALUE;
    private final AtomicLong maxStallNanos = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<Fault, List<Long>> stalls = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FailoverBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BrokerControl control = new BrokerControl(pidFile, startCmd, stopCmd);
        QuietMachine quiet = new QuietMachine(maxLoad, TimeUnit.SECONDS.toMillis(quietWaitS));
        Properties adminProps = new Properties();
        adminProps.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        adminProps.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        adminProps.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        adminProps.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        adminProps.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        Map<Fault, List<Long>> results = new LinkedHashMap<>();
        try (Admin admin = Admin.create(adminProps); KafkaProducer<byte[], byte[]> producer = probeProducer()) {
            createTopic(admin);
            Thread probe = new Thread(() -> probeLoop(producer), "failover-probe");
            probe.setDaemon(true);
            probe.start();
            for (Fault fault : faults) {
                List<Long> times = new ArrayList<>();
                results.put(fault, times);
                for (int run = 1; run <= runs; run++) {
                    awaitHealthy(admin, control);
                    String machine = quiet.await(log::println);
                    awaitHealthy(admin, control);
                    times.add(measure(admin, control, fault, run, machine));
                }
            }
            awaitHealthy(admin, control);
            probing = false;
            probe.join(5000);
        }
        out.println();
        out.println("Failover of " + label + ": time from the fault until an acks=all write to the partition succeeded again");
        for (Map.Entry<Fault, List<Long>> e : results.entrySet()) {
            BenchStats stats = BenchStats.of(e.getValue());
            out.printf("RESULT %s %s first-ack: %s  runs=%s%n", label, e.getKey(), stats.describe("ms"), e.getValue());
            List<Long> stall = stalls.get(e.getKey());
            out.printf("RESULT %s %s longest-stall: %s  runs=%s%n", label, e.getKey(), BenchStats.of(stall).describe("ms"), stall);
        }
        if (failures.get() > 0) {
            out.println("probe sends that failed for good: " + failures.get());
        }
        return 0;
    }

    private long measure(Admin admin, BrokerControl control, Fault fault, int run, String machine) throws Exception {
        int controller = retry(() -> admin.describeCluster().controller().get(10, TimeUnit.SECONDS).id());
        // The leader of a partition whose leader is not the controller, if any: this measures a
        // leader's failover, not a controller's (which Kafka handles separately).
        TopicDescription d = describe(admin);
        TopicPartitionInfo target = d.partitions().stream().filter(p -> leaderId(p) >= 0 && leaderId(p) != controller)
                .findFirst().orElse(d.partitions().get(0));
        int victim = leaderId(target);
        probePartition = target.partition();
        awaitProbeAck(); // records flow to the new partition before the fault
        long pid = control.requirePid(victim);
        firstAckAfterMark.set(0);
        maxStallNanos.set(0);
        windowEndNanos = Long.MAX_VALUE;
        windowStartNanos = Long.MAX_VALUE;
        Process stopping = null;
        // Measured from t0, just before the signal. Only records sent once the fault has taken effect
        // count: one sent while SIGKILL or SIGSTOP is still on its way could be acknowledged by the
        // leader that is about to go. A controlled stop takes effect at once: the leader hands over.
        long t0 = System.nanoTime();
        switch (fault) {
            case kill -> {
                BrokerControl.kill9(pid);
                awaitState(pid, "ZX");
            }
            case pause -> {
                BrokerControl.signal("STOP", pid);
                awaitState(pid, "Tt");
            }
            case stop -> stopping = control.startControlledStop(victim, pid);
        }
        markNanos = fault == Fault.stop ? t0 : System.nanoTime();
        windowStartNanos = markNanos;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (firstAckAfterMark.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long ack = firstAckAfterMark.get();
        long ms = ack == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(ack - t0);
        if (stopping != null) {
            BrokerControl.waitFor(stopping, 120, "controlled stop of broker " + victim);
        }
        // The longest any write sent during the fault waited: the whole hand-over of a controlled stop,
        // whose leader goes on accepting writes for a while after SIGTERM.
        Thread.sleep(1000);
        windowEndNanos = System.nanoTime();
        awaitProbeAck();
        long stallMs = TimeUnit.NANOSECONDS.toMillis(maxStallNanos.get());
        windowStartNanos = Long.MAX_VALUE;
        int newLeader = ms < 0 ? -1 : leaderId(describe(admin).partitions().get(target.partition()));
        log.printf("%s %s run %d: partition %d, leader %d%s -> %d: first write acknowledged %s after the fault,"
                        + " longest write stall %d ms (%s)%n", label, fault, run, target.partition(), victim,
                victim == controller ? " (the controller)" : "", newLeader, ms < 0 ? "never (120 s)" : ms + " ms", stallMs, machine);
        switch (fault) {
            case kill, stop -> control.start(victim);
            case pause -> BrokerControl.signal("CONT", pid);
        }
        if (ms < 0) {
            throw new IllegalStateException(label + ": no acks=all write succeeded within 120 s of the fault");
        }
        stalls.computeIfAbsent(fault, f -> new ArrayList<>()).add(stallMs);
        return ms;
    }

    private KafkaProducer<byte[], byte[]> probeProducer() {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "failover-probe");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeoutMs));
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.setProperty(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
        p.setProperty(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "10");
        p.setProperty(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "10");
        p.setProperty(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void probeLoop(KafkaProducer<byte[], byte[]> producer) {
        long interval = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        long next = System.nanoTime();
        byte[] value = "probe".getBytes(StandardCharsets.UTF_8);
        while (probing) {
            long sentAt = System.nanoTime();
            try {
                producer.send(new ProducerRecord<>(topic, probePartition, null, value), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    } else {
                        long now = System.nanoTime();
                        if (sentAt >= markNanos) {
                            firstAckAfterMark.compareAndSet(0, now);
                        }
                        if (sentAt >= windowStartNanos && sentAt < windowEndNanos) {
                            maxStallNanos.accumulateAndGet(now - sentAt, Math::max);
                        }
                    }
                });
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime();
            }
        }
    }

    /** Waits until a record sent from now on is acknowledged. */
    private void awaitProbeAck() throws InterruptedException {
        firstAckAfterMark.set(0);
        markNanos = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (firstAckAfterMark.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": the probe's writes are not acknowledged within 60 s");
            }
            Thread.sleep(5);
        }
        markNanos = Long.MAX_VALUE;
    }

    private void createTopic(Admin admin) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            log.println(label + ": created topic " + topic + " (3 partitions, RF=3, min.insync.replicas=2)");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Every broker process up, and every partition of the probe topic led with its full replica set in sync. */
    private void awaitHealthy(Admin admin, BrokerControl control) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = describe(admin);
                boolean ok = true;
                for (TopicPartitionInfo p : d.partitions()) {
                    for (Node r : p.replicas()) {
                        ok &= control.pid(r.id()) > 0;
                    }
                    ok &= leaderId(p) >= 0 && p.isr().size() == p.replicas().size();
                }
                if (ok && !d.partitions().isEmpty()) {
                    return;
                }
                last = d.partitions().toString();
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(label + ": the probe topic did not become healthy within 180 s: " + last);
    }

    /** The probe topic, retried for up to 60 s (an admin call may meet a broker that just went). */
    private TopicDescription describe(Admin admin) throws Exception {
        return retry(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic));
    }

    static <T> T retry(Callable<T> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Waits until the process is dead or stopped, by its state in /proc: a zombie counts as dead. A
     * killed broker is an orphan whose zombie waits for init to reap it, which took 1.6 s here; until
     * then ProcessHandle still reports it alive.
     */
    private static void awaitState(long pid, String states) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String state = processState(pid);
            if (state == null || states.contains(state)) {
                return;
            }
            Thread.sleep(0, 200_000);
        }
    }

    /** The one-letter state of /proc/PID/stat (R, S, D, T, Z, ...), null once the process is gone. */
    static String processState(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
            return afterName.isEmpty() ? null : afterName.substring(0, 1);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static int leaderId(TopicPartitionInfo p) {
        return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
    }
}
