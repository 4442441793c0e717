package io.tributary.broker.testing;

import io.tributary.broker.Broker;
import io.tributary.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.requests.MetadataResponse;
import org.awaitility.Awaitility;

/**
 * ZooKeeper (a real server, curator-test's) plus N brokers in this JVM on ephemeral ports, in the spirit
 * of BookKeeper's cluster test case: start, stop and restart brokers by id and wait for leaders.
 */
public final class LocalCluster implements AutoCloseable {

    private final TestingServer zookeeper;
    private final Path dataDir;
    private final String chroot;
    private final Map<Integer, Broker> brokers = new TreeMap<>();
    private final Map<String, String> overrides;
    private final int brokerCount;

    public LocalCluster(int brokerCount, Path dataDir) throws Exception {
        this(brokerCount, dataDir, Map.of());
    }

    public LocalCluster(int brokerCount, Path dataDir, Map<String, String> overrides) throws Exception {
        this.zookeeper = new TestingServer(true);
        this.dataDir = dataDir;
        this.chroot = "/tributary-test";
        this.overrides = overrides;
        this.brokerCount = brokerCount;
        for (int id = 1; id <= brokerCount; id++) {
            start(id);
        }
        // The controller is elected just after start-up; until then CreateTopics gets NOT_CONTROLLER, which
        // real clients retry but the tests' one-shot wire client would not.
        awaitController();
    }

    public Properties brokerProperties(int id) {
        Properties properties = new Properties();
        properties.setProperty("broker.id", Integer.toString(id));
        properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:0");
        properties.setProperty("log.dirs", dataDir.resolve("broker-" + id).toString());
        properties.setProperty("zookeeper.connect", zookeeper.getConnectString() + chroot);
        properties.setProperty("zookeeper.session.timeout.ms", "6000");
        // The offsets topic waits for this many live brokers: a smaller test cluster asks for what it has.
        properties.setProperty("offsets.topic.replication.factor", Integer.toString(Math.min(3, brokerCount)));
        // Any free port: test brokers never collide with a developer's cluster on 9192+ (the default).
        properties.setProperty("metrics.listener", "http://127.0.0.1:0");
        overrides.forEach(properties::setProperty);
        return properties;
    }

    public Broker start(int id) throws Exception {
        Files.createDirectories(dataDir.resolve("broker-" + id));
        Broker broker = Broker.start(BrokerConfig.from(brokerProperties(id)));
        brokers.put(id, broker);
        return broker;
    }

    /** A controlled shutdown of one broker. */
    public void stop(int id) {
        Broker broker = brokers.remove(id);
        if (broker != null) {
            broker.close();
        }
    }

    public Broker restart(int id) throws Exception {
        stop(id);
        return start(id);
    }

    public Broker broker(int id) {
        return brokers.get(id);
    }

    public int port(int id) {
        return brokers.get(id).port();
    }

    /** Broker {@code id}'s metrics listener with its real port, e.g. {@code http://127.0.0.1:41234} ("none" when off). */
    public String metricsUrl(int id) {
        return brokers.get(id).metricsListener().toString();
    }

    public String bootstrap() {
        return brokers.values().stream().map(b -> "127.0.0.1:" + b.port()).reduce((a, b) -> a + "," + b).orElseThrow();
    }

    public String zookeeperConnect() {
        return zookeeper.getConnectString() + chroot;
    }

    /** Waits until the partition has a leader in the metadata, and returns the leader's broker id. */
    public int awaitLeader(String topic, int partition) {
        int[] leader = {-1};
        Awaitility.await("leader of " + topic + "-" + partition).atMost(Duration.ofSeconds(30)).until(() -> {
            leader[0] = leaderOf(topic, partition);
            return leader[0] >= 0;
        });
        return leader[0];
    }

    /** Waits until one broker acts as controller (so CreateTopics sent to it succeeds), and returns its id. */
    public int awaitController() {
        int[] controller = {-1};
        Awaitility.await("a controller").atMost(Duration.ofSeconds(30)).until(() -> {
            controller[0] = brokers.entrySet().stream().filter(e -> e.getValue().isController())
                    .mapToInt(Map.Entry::getKey).findFirst().orElse(-1);
            return controller[0] >= 0;
        });
        return controller[0];
    }

    public int leaderOf(String topic, int partition) throws IOException {
        int anyBroker = brokers.keySet().iterator().next();
        try (WireClient client = new WireClient("127.0.0.1", port(anyBroker))) {
            MetadataResponse response = (MetadataResponse) client.send(new MetadataRequestData().setTopics(
                    List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)))
                    .setAllowAutoTopicCreation(false), (short) 12);
            for (MetadataResponseData.MetadataResponseTopic t : response.data().topics()) {
                for (MetadataResponseData.MetadataResponsePartition p : t.partitions()) {
                    if (p.partitionIndex() == partition) {
                        return p.leaderId();
                    }
                }
            }
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        for (Integer id : brokers.keySet().toArray(Integer[]::new)) {
            stop(id);
        }
        zookeeper.close();
    }
}
