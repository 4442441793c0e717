package io.tributary.cli;

import io.tributary.cli.demo.DeliveryLedger;
import io.tributary.cli.demo.DemoTraffic;
import io.tributary.cli.demo.LocalBrokers;
import io.tributary.cli.demo.LocalConsole;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ClusterDescription;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.protocol.Errors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * bin/failover-demo: kills a partition leader with SIGKILL while a producer (acks=all, idempotent) and
 * a consumer run, and narrates what the cluster does: who takes over and how fast, the broker's return
 * to the ISR, whether it gets its partitions back, and finally that every acknowledged record was read.
 */
@Command(name = "failover-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kill -9 a partition leader under load and watch the cluster recover.",
                "Needs a local cluster of at least 3 brokers started by bin/cluster-start 3."})
public final class FailoverDemo implements Callable<Integer> {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
            defaultValue = "localhost:9092,localhost:9093,localhost:9094", description = "Brokers to bootstrap from (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--topic", defaultValue = "failover-demo", description = "Topic to use; created (RF=3, min.insync.replicas=2) if missing (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of a newly created topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rate", paramLabel = "RECORDS/S", defaultValue = "500", description = "Records sent per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--warm-up-ms", defaultValue = "3000", description = "Steady traffic before the kill (default: ${DEFAULT-VALUE}).")
    long warmUpMs;

    @Option(names = "--down-ms", defaultValue = "3000", description = "How long the killed broker stays down (default: ${DEFAULT-VALUE}).")
    long downMs;

    @Option(names = "--leadership-wait-ms", defaultValue = "15000",
            description = "How long to watch whether the restarted broker leads its preferred partitions again (default: ${DEFAULT-VALUE}).")
    long leadershipWaitMs;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, defaultValue = ".",
            description = "The checkout whose bin/broker-start restarts the killed broker (bin/failover-demo passes it).")
    Path root;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Where bin/broker-start keeps pid files (default: <root>/run).")
    Path runDir;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private long startNanos;

    public static void main(String[] args) {
        System.exit(ToolRunner.runOnConsole(new FailoverDemo(), args));
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        startNanos = System.nanoTime();
        Path root = this.root.toAbsolutePath().normalize();
        Path run = runDir != null ? runDir : root.resolve("run");
        LocalBrokers brokers = new LocalBrokers(root, run);

        Properties adminProps = new Properties();
        adminProps.setProperty("bootstrap.servers", bootstrapServer);
        adminProps.setProperty("request.timeout.ms", "5000");
        adminProps.setProperty("retry.backoff.ms", "20");
        try (Admin admin = new Admin(adminProps)) {
            ClusterDescription cluster = admin.describeCluster();
            List<Integer> ids = cluster.brokers().stream().map(Node::id).sorted().toList();
            say("Cluster: brokers " + join(ids) + ", controller " + (cluster.controller() == null ? "none" : cluster.controller().id()));
            say(LocalConsole.url(run).map(url -> "Watch it live: " + url + " (Cluster and Timeline tabs show the kill, the new leaders and the ISR)")
                    .orElse("No console is running; bin/console shows the cluster and this failover live in the browser"));
            if (ids.size() < 3) {
                throw new TributaryException("The demo needs 3 live brokers, the cluster has " + ids.size() + ": run bin/cluster-start 3");
            }
            for (int id : ids) {
                if (brokers.pid(id) < 0) {
                    throw new TributaryException("Broker " + id + " was not started by bin/broker-start from this checkout"
                            + " (no live pid in " + run + "/broker-" + id + "): the demo kills and restarts brokers, so it needs local ones");
                }
            }
            prepareTopic(admin);
            TopicDescription before = awaitTopic(admin, "all partitions have a leader and a full ISR", this::healthy, 30_000);
            printDescription(before);

            try (DemoTraffic traffic = new DemoTraffic(bootstrapServer, topic, before.partitions().size(), rate)) {
                traffic.start();
                say("Producing " + rate + " records/s (acks=all, idempotent, record n to partition n % "
                        + before.partitions().size() + ") and consuming every partition ...");
                Thread.sleep(warmUpMs);
                sayProgress(traffic);

                TopicDescription steady = describe(admin);
                PartitionInfo watched = steady.partitions().get(0);
                int victim = watched.leader().id();
                Map<Integer, PartitionInfo> led = new LinkedHashMap<>();
                steady.partitions().stream().filter(p -> p.leader() != null && p.leader().id() == victim)
                        .forEach(p -> led.put(p.partition(), p));
                long pid = brokers.pid(victim);
                say("kill -9 broker " + victim + " (pid " + pid + "), leader of partition" + (led.size() == 1 ? " " : "s ")
                        + led.values().stream().map(p -> p.partition() + " (epoch " + p.leaderEpoch() + ")").collect(Collectors.joining(", ")));
                long killNanos = System.nanoTime();
                LocalBrokers.kill9(pid);
                // Only records sent once it is dead count (it is dead as a zombie, before init reaps it).
                LocalBrokers.awaitDead(pid);
                traffic.mark(System.nanoTime());

                Map<Integer, PartitionInfo> takeovers = watchTakeover(admin, traffic, victim, led, killNanos);
                printDescription(describe(admin));
                sayProgress(traffic);

                Thread.sleep(Math.max(0, downMs - millisSince(killNanos)));
                say("Restarting broker " + victim + " (bin/broker-start " + victim + ") ...");
                long restartNanos = System.nanoTime();
                int code = brokers.start(victim, line -> say("  | " + line));
                if (code != 0) {
                    throw new TributaryException("bin/broker-start " + victim + " failed (exit code " + code + ")");
                }
                TopicDescription rejoined = awaitTopic(admin, "broker " + victim + " is back in every ISR",
                        d -> d.partitions().stream().allMatch(p -> ids(p.isr()).contains(victim)), 120_000);
                say("Broker " + victim + " caught up and is back in the ISR of every partition, "
                        + millisSince(restartNanos) + " ms after bin/broker-start began (it had to start a JVM and fetch what it missed)");
                printDescription(rejoined);
                preferredLeadership(admin, victim, restartNanos);

                say("Stopping the producer and waiting until the consumer has read every acknowledged record ...");
                traffic.stopProducing();
                boolean complete = traffic.awaitConsumed(Duration.ofSeconds(30));
                DeliveryLedger.Summary s = traffic.ledger().summary();
                printSummary(s, traffic, complete, takeovers);
                return s.lost() == 0 && complete ? ToolRunner.OK : ToolRunner.FAILED;
            }
        }
    }

    private void prepareTopic(Admin admin) {
        try {
            admin.createTopic(new NewTopic(topic, partitions, (short) 3, Map.of("min.insync.replicas", "2")));
            say("Created topic " + topic + ": " + partitions + " partitions, replication factor 3, min.insync.replicas=2");
        } catch (ApiException e) {
            if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                throw e;
            }
            TopicDescription existing = admin.describeTopics(List.of(topic)).get(topic);
            int rf = existing.partitions().isEmpty() ? 0 : existing.partitions().get(0).replicas().size();
            if (rf != 3) {
                throw new TributaryException("Topic " + topic + " exists with replication factor " + rf
                        + "; the demo needs 3: pass another --topic or delete it (bin/topics --delete --topic " + topic + ")");
            }
            say("Using the existing topic " + topic + " (" + existing.partitions().size() + " partitions, replication factor 3);"
                    + " only records of this run are counted");
        }
    }

    /**
     * Polls metadata until every partition the victim led has another leader, and waits for the first
     * acknowledged write to each that was sent after the kill. Prints one line per partition.
     */
    private Map<Integer, PartitionInfo> watchTakeover(Admin admin, DemoTraffic traffic, int victim,
                                                      Map<Integer, PartitionInfo> led, long killNanos) throws InterruptedException {
        Map<Integer, PartitionInfo> newLeaders = new LinkedHashMap<>();
        Map<Integer, Long> seenAtMs = new LinkedHashMap<>();
        long deadline = killNanos + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                for (PartitionInfo p : describe(admin).partitions()) {
                    if (led.containsKey(p.partition()) && !newLeaders.containsKey(p.partition())
                            && p.leader() != null && p.leader().id() != victim) {
                        newLeaders.put(p.partition(), p);
                        seenAtMs.put(p.partition(), millisSince(killNanos));
                    }
                }
            } catch (TributaryException e) {
                // a metadata request that went to the dead broker; the next one goes elsewhere
            }
            boolean acked = led.keySet().stream().allMatch(i -> traffic.firstAckAfterMark(i) != 0);
            if (newLeaders.size() == led.size() && acked) {
                break;
            }
            Thread.sleep(10);
        }
        for (Map.Entry<Integer, PartitionInfo> e : led.entrySet()) {
            int partition = e.getKey();
            PartitionInfo now = newLeaders.get(partition);
            long ack = traffic.firstAckAfterMark(partition);
            String ackText = ack == 0 ? "no acks=all write succeeded within 60 s"
                    : "first acks=all write acknowledged " + TimeUnit.NANOSECONDS.toMillis(ack - killNanos) + " ms after the kill";
            if (now == null) {
                say("Partition " + partition + ": no new leader within 60 s; " + ackText);
            } else {
                say("Partition " + partition + ": broker " + now.leader().id() + " took over (leader epoch "
                        + e.getValue().leaderEpoch() + " -> " + now.leaderEpoch() + "); metadata showed it "
                        + seenAtMs.get(partition) + " ms after the kill, " + ackText);
            }
        }
        return newLeaders;
    }

    private void preferredLeadership(Admin admin, int victim, long restartNanos) throws InterruptedException {
        Predicate<PartitionInfo> preferred = p -> !p.replicas().isEmpty() && p.replicas().get(0).id() == victim;
        List<Integer> preferredPartitions = describe(admin).partitions().stream().filter(preferred)
                .map(PartitionInfo::partition).toList();
        if (preferredPartitions.isEmpty()) {
            say("Broker " + victim + " is no partition's preferred leader (first replica), so it stays a follower.");
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leadershipWaitMs);
        TopicDescription d;
        do {
            d = describe(admin);
            if (d.partitions().stream().filter(preferred).allMatch(p -> p.leader() != null && p.leader().id() == victim)) {
                say("Broker " + victim + " leads its preferred partition" + (preferredPartitions.size() == 1 ? " " : "s ")
                        + join(preferredPartitions) + " again, " + millisSince(restartNanos) + " ms after its restart began");
                printDescription(d);
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        say("Broker " + victim + " is still a follower of partition" + (preferredPartitions.size() == 1 ? " " : "s ")
                + join(preferredPartitions) + " after " + leadershipWaitMs + " ms: leadership moves back to the preferred"
                + " replica at the brokers' next imbalance check (leader.imbalance.check.interval.seconds), or at once with"
                + " kafka-leader-election --election-type preferred.");
    }

    private void printSummary(DeliveryLedger.Summary s, DemoTraffic traffic, boolean complete, Map<Integer, PartitionInfo> takeovers) {
        say("Records sent: " + s.sent() + ", acknowledged: " + s.acknowledged() + ", failed: " + s.failed()
                + (s.unresolved() > 0 ? ", unresolved: " + s.unresolved() : "")
                + ", consumed: " + s.consumed() + ", lost: " + s.lost());
        if (s.duplicates() > 0) {
            out.println("  duplicates read: " + s.duplicates());
        }
        if (s.consumedUnacknowledged() > 0) {
            out.println("  read but not acknowledged to the producer: " + s.consumedUnacknowledged()
                    + " (written, but the send reported failure)");
        }
        if (s.failed() > 0 && traffic.lastSendError() != null) {
            out.println("  last send error: " + CliErrors.message(traffic.lastSendError()));
        }
        if (traffic.consumerError() != null) {
            out.println("  the consumer stopped: " + CliErrors.message(traffic.consumerError()));
        }
        if (s.lost() == 0 && complete) {
            out.println("Every acknowledged record was consumed: nothing acknowledged was lost.");
        } else {
            out.println("LOST: " + s.lost() + " acknowledged record(s) were not consumed within 30 s (first: sequence "
                    + s.firstLost() + ").");
        }
        out.flush();
    }

    private TopicDescription describe(Admin admin) {
        return admin.describeTopics(List.of(topic)).get(topic);
    }

    private TopicDescription awaitTopic(Admin admin, String what, Predicate<TopicDescription> done, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        TributaryException last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = describe(admin);
                if (done.test(d)) {
                    return d;
                }
            } catch (TributaryException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new TributaryException("Waited " + timeoutMs + " ms in vain until " + what
                + (last == null ? "" : "; last error: " + last.getMessage()));
    }

    private boolean healthy(TopicDescription d) {
        return !d.partitions().isEmpty() && d.partitions().stream().allMatch(p -> !p.offline() && !p.underReplicated());
    }

    private void printDescription(TopicDescription d) {
        TopicDescriptionFormat.lines(d).forEach(line -> out.println("    " + line));
        out.flush();
    }

    private void sayProgress(DemoTraffic traffic) {
        DeliveryLedger.Summary s = traffic.ledger().summary();
        say("So far: " + s.sent() + " sent, " + s.acknowledged() + " acknowledged, " + s.consumed() + " consumed");
    }

    private void say(String line) {
        out.printf("[%6.2f s] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
        out.flush();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static List<Integer> ids(List<Node> nodes) {
        List<Integer> ids = new ArrayList<>();
        nodes.forEach(n -> ids.add(n.id()));
        return ids;
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
