package io.tributary.cli.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of the many-partitions benchmark, with Kafka's own admin client so Tributary and Apache
 * Kafka are measured alike: creates a topic of --partitions partitions (RF --replication-factor),
 * times until Metadata shows a leader for every partition, then kills (-9) one broker that is not the
 * controller and times until every partition it led shows another leader. Prints one RESULT line.
 */
@Command(name = "bench-partitions", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time until a new topic's partitions all have leaders, and until a killed broker's partitions have new ones.")
public final class PartitionsBench implements Callable<Integer> {

    @Option(names = "--bootstrap-server", required = true)
    String bootstrap;

    @Option(names = "--label", defaultValue = "cluster")
    String label;

    @Option(names = "--pid-file", required = true, description = "Pid file of broker {id}.")
    String pidFile;

    @Option(names = "--topic", defaultValue = "bench-partitions")
    String topic;

    @Option(names = "--partitions", defaultValue = "1000")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3")
    short replicationFactor;

    @Option(names = "--poll-ms", defaultValue = "50", description = "Metadata poll interval (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--timeout-s", defaultValue = "300")
    long timeoutS;

    private final PrintStream out = System.out;
    private final PrintStream log = System.err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PartitionsBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BrokerControl control = new BrokerControl(pidFile, "true", null);
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TimeUnit.SECONDS.toMillis(timeoutS)));
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TimeUnit.SECONDS.toMillis(timeoutS)));
        props.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        props.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (Admin admin = Admin.create(props)) {
            long t0 = System.nanoTime();
            // Kafka answers CreateTopics only once the leaders are in its metadata (or the request's
            // timeout passed, which is no failure: the creation goes on). Polling Metadata decides.
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)),
                        new CreateTopicsOptions().timeoutMs((int) TimeUnit.SECONDS.toMillis(timeoutS))).all().get(timeoutS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw e;
                }
                log.println(label + ": CreateTopics timed out (" + e.getCause().getMessage() + "); polling metadata");
            }
            long acceptedMs = millisSince(t0);
            TopicDescription led = awaitLeaders(admin, t0);
            long createMs = millisSince(t0);

            int controller = FailoverBench.retry(() -> admin.describeCluster().controller().get(10, TimeUnit.SECONDS).id());
            Map<Integer, Long> perBroker = led.partitions().stream()
                    .collect(Collectors.groupingBy(FailoverBench::leaderId, Collectors.counting()));
            int victim = perBroker.entrySet().stream().filter(e -> e.getKey() != controller)
                    .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(controller);
            Set<Integer> victimPartitions = led.partitions().stream().filter(p -> FailoverBench.leaderId(p) == victim)
                    .map(TopicPartitionInfo::partition).collect(Collectors.toSet());
            long pid = control.requirePid(victim);
            log.printf("%s: leaders per broker %s, controller %d; kill -9 broker %d (pid %d), leader of %d partitions%n",
                    label, perBroker, controller, victim, pid, victimPartitions.size());
            long t1 = System.nanoTime();
            BrokerControl.kill9(pid);
            awaitNewLeaders(admin, t1, victim, victimPartitions);
            long failoverMs = millisSince(t1);
            out.printf("RESULT %s partitions=%d rf=%d create_accepted_ms=%d create_all_leaders_ms=%d kill9_broker=%d"
                            + " kill9_led=%d kill9_all_new_leaders_ms=%d%n",
                    label, partitions, replicationFactor, acceptedMs, createMs, victim, victimPartitions.size(), failoverMs);
        }
        return 0;
    }

    private TopicDescription awaitLeaders(Admin admin, long t0) throws Exception {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = describe(admin);
                long withLeader = d.partitions().stream().filter(p -> FailoverBench.leaderId(p) >= 0).count();
                if (d.partitions().size() == partitions && withLeader == partitions) {
                    return d;
                }
                last = withLeader + " of " + partitions + " partitions have a leader";
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(pollMs);
        }
        throw new IllegalStateException(label + ": not all partitions had a leader after " + timeoutS + " s: " + last);
    }

    private void awaitNewLeaders(Admin admin, long t1, int victim, Collection<Integer> victimPartitions) throws Exception {
        long deadline = t1 + TimeUnit.SECONDS.toNanos(timeoutS);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = describe(admin);
                long moved = d.partitions().stream().filter(p -> victimPartitions.contains(p.partition()))
                        .filter(p -> FailoverBench.leaderId(p) >= 0 && FailoverBench.leaderId(p) != victim).count();
                if (moved == victimPartitions.size()) {
                    return;
                }
                last = moved + " of " + victimPartitions.size() + " have a new leader";
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(pollMs);
        }
        throw new IllegalStateException(label + ": the killed broker's partitions had no new leaders after " + timeoutS + " s: " + last);
    }

    private TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
