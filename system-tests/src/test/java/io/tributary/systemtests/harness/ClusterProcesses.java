package io.tributary.systemtests.harness;

import static org.awaitility.Awaitility.await;

import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.zookeeper.KeeperException;

/**
 * A real ZooKeeper server (curator-test {@link TestingServer}, in this JVM) and N broker processes, each
 * on its own ephemeral port and log dir, in the spirit of BookKeeper's {@code BookKeeperClusterTestCase}:
 * {@link #kill} (SIGKILL), {@link #stop} (SIGTERM), {@link #start}, {@link #restart}, and waits on the
 * cluster's own view of itself ({@link #awaitRegistered}, {@link #awaitLeaders}).
 *
 * <p>A broker keeps its id, port and log dir across restarts, as a real host would, so clients' cached
 * metadata stays meaningful and a restarted broker recovers its own log. {@link #close} kills every
 * process even when a test failed; a JVM shutdown hook does too if close never runs.
 */
public final class ClusterProcesses implements AutoCloseable {

    /** Ready line plus JVM start-up on a busy 2-core machine; generous because it only bounds a wait. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The session timeout brokers get unless a test sets one: a killed broker is noticed in seconds. */
    public static final int SESSION_TIMEOUT_MS = 3000;

    private final Path workDir;
    private final String chroot;
    private final Distribution distribution;
    private final Map<String, String> clusterSettings;
    private final TestingServer zookeeper;
    private final CuratorFramework zkClient;
    private final Map<Integer, BrokerSlot> brokers = new TreeMap<>();
    private Admin admin;

    private ClusterProcesses(Builder builder) throws Exception {
        this.workDir = builder.workDir;
        this.chroot = builder.chroot;
        this.distribution = Distribution.locate();
        this.clusterSettings = Map.copyOf(builder.settings);
        // tickTime 500 ms: ZooKeeper only grants session timeouts between 2 and 20 ticks, and the
        // default tick (3 s) would stretch every kill -9 test to 6 s or more of waiting.
        InstanceSpec spec = new InstanceSpec(workDir.resolve("zookeeper").toFile(), -1, -1, -1, true, -1, 500, -1);
        this.zookeeper = new TestingServer(spec, true);
        this.zkClient = CuratorFrameworkFactory.builder()
                .connectString(zookeeper.getConnectString())
                .namespace(chroot.substring(1))
                .retryPolicy(new RetryOneTime(100))
                .build();
        zkClient.start();
        if (!zkClient.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test's ZooKeeper client did not connect to " + zookeeper.getConnectString());
        }
        for (int id = 1; id <= builder.brokerCount; id++) {
            brokers.put(id, new BrokerSlot(id, FreePort.pick(), FreePort.pick(), workDir.resolve("broker-" + id)));
        }
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Starts every broker that is not running and waits until all of them are registered. */
    public ClusterProcesses startAll() {
        // Launch all first, then wait: the JVMs start in parallel.
        brokers.values().stream().filter(b -> b.process == null || !b.process.isAlive()).forEach(this::launch);
        brokers.values().forEach(b -> b.process.awaitStarted(b.id, START_TIMEOUT));
        awaitRegistered(brokers.size());
        return this;
    }

    /** Starts broker {@code id} on its port and log dir and returns once it logged that it serves requests. */
    public void start(int id) {
        BrokerSlot slot = slot(id);
        if (slot.process != null && slot.process.isAlive()) {
            throw new IllegalStateException("broker " + id + " is already running: " + slot.process);
        }
        launch(slot);
        slot.process.awaitStarted(id, START_TIMEOUT);
    }

    /**
     * kill -9 of broker {@code id} (also when paused). Its registration and latch nodes live on until a peer
     * finds its listener refusing connections and fences it, or its ZooKeeper session times out.
     */
    public void kill(int id) {
        runningProcess(id).kill();
    }

    /**
     * SIGSTOP of broker {@code id}: it keeps its sockets but does nothing, not even its ZooKeeper heartbeats,
     * so the cluster only notices once its session ({@link #SESSION_TIMEOUT_MS}) expires. Returns once the
     * process is stopped.
     */
    public void pause(int id) {
        BrokerProcess process = runningProcess(id);
        if (process.isPaused()) {
            throw new IllegalStateException("broker " + id + " is paused already");
        }
        process.pause();
    }

    /** SIGCONT of a paused broker; returns once it runs again (it may still have to notice what it missed). */
    public void resume(int id) {
        BrokerProcess process = runningProcess(id);
        if (!process.isPaused()) {
            throw new IllegalStateException("broker " + id + " is not paused");
        }
        process.resume();
    }

    public boolean isPaused(int id) {
        BrokerSlot slot = slot(id);
        return slot.process != null && slot.process.isPaused();
    }

    /** The pid of broker {@code id}'s running process. */
    public long pid(int id) {
        return runningProcess(id).pid();
    }

    /** kill -9, then waits until ZooKeeper has expired the broker's session and dropped its registration. */
    public void killAndAwaitUnregistered(int id) {
        kill(id);
        awaitUnregistered(id);
    }

    /** SIGTERM (controlled shutdown) and waits for the process to exit; returns its exit status. */
    public int stop(int id) {
        return runningProcess(id).stop(STOP_TIMEOUT);
    }

    /**
     * Stops broker {@code id} if it runs (SIGTERM), waits until its old registration is gone (after a
     * kill -9 that takes a session timeout: a broker refuses to start while its id is registered), then
     * starts it again on the same port and log dir.
     */
    public void restart(int id) {
        BrokerSlot slot = slot(id);
        if (slot.process != null && slot.process.isAlive()) {
            stop(id);
        }
        awaitUnregistered(id);
        start(id);
        awaitRegisteredId(id);
    }

    /** Resumes every paused broker and restarts every broker that is not running (after a test that killed some). */
    public void ensureAllRunning() {
        for (BrokerSlot slot : brokers.values()) {
            if (slot.process != null && slot.process.isPaused()) {
                slot.process.resume();
            }
            if (slot.process == null || !slot.process.isAlive()) {
                restart(slot.id);
            }
        }
    }

    public boolean isRunning(int id) {
        BrokerSlot slot = slot(id);
        return slot.process != null && slot.process.isAlive();
    }

    public Set<Integer> brokerIds() {
        return Set.copyOf(brokers.keySet());
    }

    public int port(int id) {
        return slot(id).port;
    }

    /**
     * Broker {@code id}'s metrics listener, {@code http://127.0.0.1:<port>}: {@code /metrics} (Prometheus text),
     * {@code /health/live}, {@code /health/ready}. Like the Kafka port it is chosen once and kept across restarts,
     * so a Prometheus target or a console stays valid while the broker is killed and started again. A test that
     * sets {@code metrics.listener} itself (say {@code none}) gets that value.
     */
    public String metricsUrl(int id) {
        return settingsOf(id).get("metrics.listener");
    }

    /** host:port of broker {@code id}. */
    public String address(int id) {
        return "127.0.0.1:" + slot(id).port;
    }

    /** bootstrap.servers naming every broker of the cluster, running or not (clients skip dead ones). */
    public String bootstrap() {
        return brokers.keySet().stream().map(this::address).collect(Collectors.joining(","));
    }

    /** The broker's single log dir ({@code log.dirs}), where {@code <topic>-<partition>/} directories live. */
    public Path logDir(int id) {
        return slot(id).dir.resolve("data");
    }

    public Path outputFile(int id) {
        return slot(id).dir.resolve("broker-" + id + ".out");
    }

    /** host:port of the test's ZooKeeper, without chroot. */
    public String zookeeperHosts() {
        return zookeeper.getConnectString();
    }

    /** zookeeper.connect as the brokers get it: host:port/chroot. */
    public String zookeeperConnect() {
        return zookeeper.getConnectString() + chroot;
    }

    public Distribution distribution() {
        return distribution;
    }

    public Path workDir() {
        return workDir;
    }

    /** The settings broker {@code id} is started with (its identity, addresses, and the cluster's settings). */
    public Map<String, String> settingsOf(int id) {
        BrokerSlot slot = slot(id);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("broker.id", Integer.toString(id));
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + slot.port);
        settings.put("log.dirs", logDir(id).toString());
        settings.put("zookeeper.connect", zookeeperConnect());
        settings.put("zookeeper.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        settings.put("metrics.listener", "http://127.0.0.1:" + slot.metricsPort);
        // __consumer_offsets waits for this many live brokers: a smaller cluster asks for what it has.
        settings.put("offsets.topic.replication.factor", Integer.toString(Math.min(3, brokers.size())));
        settings.putAll(clusterSettings);
        return settings;
    }

    /** Ids registered under /brokers/ids right now, read from ZooKeeper itself. */
    public Set<Integer> registeredIds() {
        try {
            return zkClient.getChildren().forPath(ZkPaths.brokerIds()).stream()
                    .map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
        } catch (KeeperException.NoNodeException e) {
            return Set.of();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + chroot + ZkPaths.brokerIds() + " in ZooKeeper", e);
        }
    }

    /** Waits until exactly {@code count} brokers are registered in ZooKeeper. */
    public Set<Integer> awaitRegistered(int count) {
        await("exactly " + count + " brokers registered under " + chroot + ZkPaths.brokerIds())
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> registeredIds().size() == count);
        return registeredIds();
    }

    /** Waits until broker {@code id} is registered. */
    public void awaitRegisteredId(int id) {
        await("broker " + id + " registered").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> registeredIds().contains(id));
    }

    /** Waits until broker {@code id}'s registration is gone (its session closed or expired). */
    public void awaitUnregistered(int id) {
        await("broker " + id + " unregistered (its ZooKeeper session closed or expired)")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !registeredIds().contains(id));
    }

    /**
     * Waits until the cluster's metadata (official Admin, describeTopics) shows {@code partitions} partitions
     * of {@code topic}, each led by a broker that runs and is registered, and returns partition -> leader id.
     */
    public Map<Integer, Integer> awaitLeaders(String topic, int partitions) {
        Map<Integer, Integer> leaders = new TreeMap<>();
        await("leaders for all " + partitions + " partitions of " + topic + " on running brokers")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    leaders.clear();
                    TopicDescription description = admin().describeTopics(List.of(topic)).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get(topic);
                    Set<Integer> registered = registeredIds();
                    for (TopicPartitionInfo p : description.partitions()) {
                        if (p.leader() != null && !p.leader().isEmpty() && isRunning(p.leader().id())
                                && registered.contains(p.leader().id())) {
                            leaders.put(p.partition(), p.leader().id());
                        }
                    }
                    return description.partitions().size() == partitions && leaders.size() == partitions;
                });
        return Map.copyOf(leaders);
    }

    /**
     * Partition -> ISR of {@code topic} as the cluster's metadata (official Admin, describeTopics) shows it now.
     */
    public Map<Integer, List<Integer>> isr(String topic) throws Exception {
        TopicDescription description = admin().describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
        Map<Integer, List<Integer>> isr = new TreeMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            isr.put(p.partition(), p.isr().stream().map(Node::id).sorted().toList());
        }
        return isr;
    }

    /**
     * Waits (bounded by {@code atMost}) until the metadata shows every one of {@code partitions} partitions of
     * {@code topic} with all of {@code members} in its ISR; returns whether that happened.
     */
    public boolean awaitIsrContains(String topic, int partitions, Set<Integer> members, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            try {
                Map<Integer, List<Integer>> isr = isr(topic);
                if (isr.size() == partitions && isr.values().stream().allMatch(l -> l.containsAll(members))) {
                    return true;
                }
            } catch (Exception e) {
                // a broker that is down or paused answers late or not at all; ask again
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
    }

    /** The partition's state znode ({leader, leader_epoch, isr}) as ZooKeeper holds it now. */
    public PartitionState partitionState(String topic, int partition) {
        try {
            return ZkJson.fromBytes(zkClient.getData().forPath(ZkPaths.partitionState(topic, partition)), PartitionState.class);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + chroot + ZkPaths.partitionState(topic, partition), e);
        }
    }

    /** {@code <log.dirs>/<topic>-<partition>} of broker {@code id}: its replica of that partition. */
    public Path replicaDir(int id, String topic, int partition) {
        return logDir(id).resolve(topic + "-" + partition);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The current leader of one partition, waiting for it to be on a running broker. */
    public int awaitLeader(String topic, int partition) {
        int partitions = describePartitionCount(topic);
        return awaitLeaders(topic, partitions).get(partition);
    }

    private int describePartitionCount(String topic) {
        int[] count = new int[1];
        await("topic " + topic + " described").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    count[0] = admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic).partitions().size();
                    return count[0] > 0;
                });
        return count[0];
    }

    /** The official Kafka Admin client on this cluster, created once and closed with the cluster. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
            admin = Admin.create(props);
        }
        return admin;
    }

    /** Each broker's state and the tail of its output, to attach to a failure message. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder("Cluster under ").append(workDir).append(", ZooKeeper ")
                .append(zookeeperConnect()).append(", registered ");
        try {
            text.append(registeredIds());
        } catch (RuntimeException e) {
            text.append("(unknown: ").append(e.getMessage()).append(')');
        }
        for (BrokerSlot slot : brokers.values()) {
            text.append(System.lineSeparator()).append("----- broker ").append(slot.id).append(" on port ").append(slot.port)
                    .append(": ").append(slot.process == null ? "never started" : slot.process.toString())
                    .append(", output ").append(outputFile(slot.id)).append(" (last 60 lines) -----")
                    .append(System.lineSeparator())
                    .append(slot.process == null ? "" : slot.process.outputTail(60));
        }
        return text.toString();
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
        for (BrokerSlot slot : brokers.values()) {
            if (slot.process != null) {
                slot.process.close();
            }
        }
        try {
            zkClient.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            zookeeper.close();
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the cluster under " + workDir + " failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void launch(BrokerSlot slot) {
        try {
            Files.createDirectories(logDir(slot.id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        slot.process = BrokerProcess.launch(distribution, "broker-" + slot.id, settingsOf(slot.id), outputFile(slot.id));
    }

    private BrokerProcess runningProcess(int id) {
        BrokerSlot slot = slot(id);
        if (slot.process == null || !slot.process.isAlive()) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
        return slot.process;
    }

    private BrokerSlot slot(int id) {
        BrokerSlot slot = brokers.get(id);
        if (slot == null) {
            throw new IllegalArgumentException("no broker " + id + " in this cluster; brokers are " + brokers.keySet());
        }
        return slot;
    }

    /** A broker's fixed identity (id, port, directory) and its current process, if any. */
    private static final class BrokerSlot {
        final int id;
        final int port;
        final int metricsPort;
        final Path dir;
        BrokerProcess process;

        BrokerSlot(int id, int port, int metricsPort, Path dir) {
            this.id = id;
            this.port = port;
            this.metricsPort = metricsPort;
            this.dir = dir;
        }
    }

    public static final class Builder {
        private final Path workDir;
        private int brokerCount = 3;
        private String chroot = "/tributary";
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one broker, got " + count);
            }
            this.brokerCount = count;
            return this;
        }

        /** The ZooKeeper chroot of the cluster, e.g. {@code /RoundTripTest}. */
        public Builder chroot(String chroot) {
            if (!chroot.startsWith("/") || chroot.length() < 2 || chroot.endsWith("/")) {
                throw new IllegalArgumentException("chroot must look like /name, got '" + chroot + "'");
            }
            this.chroot = chroot;
            return this;
        }

        /** A setting every broker gets (Kafka name), overriding the harness's defaults. */
        public Builder brokerSetting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Starts ZooKeeper only; call {@link ClusterProcesses#startAll()} to start the brokers. */
        public ClusterProcesses build() {
            try {
                return new ClusterProcesses(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start ZooKeeper for the cluster under " + workDir, e);
            }
        }
    }
}
