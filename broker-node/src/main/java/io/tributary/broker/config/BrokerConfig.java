package io.tributary.broker.config;

import io.tributary.broker.log.CleanupPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The broker's settings, parsed once from Kafka-named properties and validated at start-up. An
 * unknown key is refused too: a typo in a setting should stop the broker, not be silently ignored.
 */
public final class BrokerConfig {

    public static final Setting<Integer> BROKER_ID = Setting.intAtLeast("broker.id", 0, null,
            "Unique id of this broker in the cluster (required).");
    public static final Setting<ListenerAddress> LISTENERS = new Setting<>("listeners", "PLAINTEXT://:9092",
            ListenerAddress::parse, "Address the broker listens on for the Kafka protocol; an empty host binds every interface.");
    public static final Setting<String> ADVERTISED_LISTENERS = new Setting<>("advertised.listeners", "",
            text -> text.isBlank() ? "" : ListenerAddress.parse(text).toString(),
            "Address given to clients in Metadata; defaults to listeners (with this host's name if that host is empty).");
    public static final Setting<MetricsListener> METRICS_LISTENER = new Setting<>("metrics.listener", "",
            MetricsListener::parse, "HTTP address of /metrics (Prometheus) and /health/live, /health/ready: http://host:port "
            + "(port 0 = any free port) or none; empty means http://localhost:<9191 + broker.id>. DescribeConfigs shows the bound URL.");
    public static final Setting<String> BROKER_RACK = new Setting<>("broker.rack", "", String::trim,
            "Rack of this broker; replica assignment spreads replicas over racks.");
    public static final Setting<List<Path>> LOG_DIRS = new Setting<>("log.dirs", "/tmp/tributary-logs",
            BrokerConfig::parseLogDirs, "Comma-separated directories holding partition logs.");
    public static final Setting<String> ZOOKEEPER_CONNECT = new Setting<>("zookeeper.connect", "localhost:2181/tributary",
            BrokerConfig::parseZookeeperConnect,
            "ZooKeeper connect string host:port[,host:port...][/chroot]; without a chroot the cluster lives under /tributary.");
    public static final Setting<Integer> ZOOKEEPER_SESSION_TIMEOUT_MS = Setting.intAtLeast("zookeeper.session.timeout.ms", 1000, 6000,
            "ZooKeeper session timeout: the backstop for a paused broker or a lost host; a killed process is fenced sooner.");
    public static final Setting<Integer> ZOOKEEPER_CONNECTION_TIMEOUT_MS = Setting.intAtLeast("zookeeper.connection.timeout.ms", 100, 10000,
            "How long start-up waits for ZooKeeper before giving up with an error.");
    public static final Setting<Integer> NUM_PARTITIONS = Setting.intAtLeast("num.partitions", 1, 1,
            "Partitions of an auto-created topic, and of CreateTopics asking for the default (-1).");
    public static final Setting<Integer> DEFAULT_REPLICATION_FACTOR = Setting.intAtLeast("default.replication.factor", 1, 1,
            "Replication factor of auto-created topics and of CreateTopics asking for the default (-1).");
    public static final Setting<Integer> MIN_INSYNC_REPLICAS = Setting.intAtLeast("min.insync.replicas", 1, 1,
            "Smallest ISR that accepts acks=all produces.");
    public static final Setting<Long> REPLICA_LAG_TIME_MAX_MS = Setting.longAtLeast("replica.lag.time.max.ms", 1, 30000,
            "A follower not caught up for this long leaves the ISR.");
    public static final Setting<Integer> REPLICA_FETCH_WAIT_MAX_MS = Setting.intAtLeast("replica.fetch.wait.max.ms", 0, 500,
            "How long a follower's fetch waits at the leader for new data (long poll).");
    public static final Setting<Integer> REPLICA_FETCH_MIN_BYTES = Setting.intAtLeast("replica.fetch.min.bytes", 1, 1,
            "Bytes a follower's fetch waits for before the leader answers.");
    public static final Setting<Integer> REPLICA_FETCH_MAX_BYTES = Setting.intAtLeast("replica.fetch.max.bytes", 1024, 1048576,
            "Bytes a follower fetches per partition per request (at least one batch).");
    public static final Setting<Integer> REPLICA_FETCH_RESPONSE_MAX_BYTES = Setting.intAtLeast("replica.fetch.response.max.bytes", 1024,
            10485760, "Bytes a follower fetches per request over all partitions.");
    public static final Setting<Long> REPLICA_FETCH_BACKOFF_MS = Setting.longAtLeast("replica.fetch.backoff.ms", 0, 100,
            "Pause after a failed follower fetch (Kafka's default is 1000; a moved partition is re-pointed at once anyway).");
    public static final Setting<Long> REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = Setting.longAtLeast(
            "replica.high.watermark.checkpoint.interval.ms", 100, 5000, "How often the high watermarks are written to disk.");
    public static final Setting<Boolean> UNCLEAN_LEADER_ELECTION_ENABLE = new Setting<>("unclean.leader.election.enable", "false",
            BrokerConfig::parseUncleanElection, "Only false is supported: a replica outside the ISR never becomes leader.");
    public static final Setting<Boolean> CONTROLLED_SHUTDOWN_ENABLE = Setting.bool("controlled.shutdown.enable", true,
            "On SIGTERM, hand each led partition to a caught-up follower before leaving.");
    public static final Setting<Long> CONTROLLED_SHUTDOWN_TIMEOUT_MS = Setting.longAtLeast("controlled.shutdown.timeout.ms", 0, 10000,
            "How long a controlled shutdown waits for followers to catch up (Tributary's own setting).");
    public static final Setting<Boolean> AUTO_LEADER_REBALANCE_ENABLE = Setting.bool("auto.leader.rebalance.enable", true,
            "Move leadership back to preferred replicas when a broker's share led by others exceeds the imbalance percentage.");
    public static final Setting<Integer> LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = Setting.intAtLeast(
            "leader.imbalance.check.interval.seconds", 1, 300, "How often the preferred-leader imbalance is checked.");
    public static final Setting<Integer> LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = Setting.intAtLeast(
            "leader.imbalance.per.broker.percentage", 0, 10,
            "Share of a broker's preferred partitions that others may lead before leadership moves back.");
    public static final Setting<Boolean> AUTO_CREATE_TOPICS_ENABLE = Setting.bool("auto.create.topics.enable", true,
            "Create a topic when a client asks Metadata for it and allows auto-creation (as kcat -P does).");
    public static final Setting<Boolean> DELETE_TOPIC_ENABLE = Setting.bool("delete.topic.enable", true,
            "Allow DeleteTopics.");
    public static final Setting<Long> LOG_SEGMENT_BYTES = Setting.longAtLeast("log.segment.bytes", 1024, 1073741824L,
            "Size at which a partition's active segment is rolled.");
    public static final Setting<Long> LOG_ROLL_MS = Setting.longAtLeast("log.roll.ms", 1, 7L * 24 * 3600 * 1000,
            "Age at which a partition's active segment is rolled.");
    public static final Setting<Long> LOG_RETENTION_MS = Setting.longAtLeast("log.retention.ms", -1, 7L * 24 * 3600 * 1000,
            "Segments whose newest record is older than this are deleted; -1 keeps them forever.");
    public static final Setting<Long> LOG_RETENTION_BYTES = Setting.longAtLeast("log.retention.bytes", -1, -1,
            "Oldest segments are deleted while a partition is larger than this; -1 means no size limit.");
    public static final Setting<Long> LOG_RETENTION_CHECK_INTERVAL_MS = Setting.longAtLeast("log.retention.check.interval.ms", 100, 300000,
            "How often retention runs.");
    public static final Setting<Integer> LOG_INDEX_INTERVAL_BYTES = Setting.intAtLeast("log.index.interval.bytes", 0, 4096,
            "Bytes of log between two offset-index entries.");
    public static final Setting<Integer> MESSAGE_MAX_BYTES = Setting.intAtLeast("message.max.bytes", 0, 1048588,
            "Largest record batch the broker accepts.");
    public static final Setting<Integer> SOCKET_REQUEST_MAX_BYTES = Setting.intAtLeast("socket.request.max.bytes", 1024, 104857600,
            "Largest request frame; a bigger size field closes the connection.");
    public static final Setting<Integer> NUM_IO_THREADS = Setting.intAtLeast("num.io.threads", 1, 8,
            "Threads for partition writes (appends, flushes, retention), and as many again for fetch reads.");

    // ---- consumer groups (docs/operations.md, "Consumer groups") ----
    public static final Setting<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = Setting.intAtLeast("offsets.topic.num.partitions", 1, 50,
            "Partitions of __consumer_offsets, fixed when it is created on first use; a group's coordinator leads partition abs(hash(group)) % this.");
    public static final Setting<Integer> OFFSETS_TOPIC_REPLICATION_FACTOR = Setting.intAtLeast("offsets.topic.replication.factor", 1, 3,
            "Replication factor of __consumer_offsets; it is created only once this many brokers are alive (a 1-broker cluster must set 1).");
    public static final Setting<Long> OFFSETS_TOPIC_SEGMENT_BYTES = Setting.longAtLeast("offsets.topic.segment.bytes", 1024, 104857600L,
            "segment.bytes of __consumer_offsets (small segments let compaction clean it sooner).");
    public static final Setting<Long> OFFSETS_RETENTION_MINUTES = Setting.longAtLeast("offsets.retention.minutes", 1, 10080,
            "Committed offsets of a group expire this long after it became empty (or after the commit, for groups without members).");
    public static final Setting<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS = Setting.longAtLeast("offsets.retention.check.interval.ms", 1, 600000,
            "How often expired offsets are looked for.");
    public static final Setting<Integer> OFFSETS_COMMIT_TIMEOUT_MS = Setting.intAtLeast("offsets.commit.timeout.ms", 1, 5000,
            "How long an offset commit or group write waits for the offsets partition's ISR before failing.");
    public static final Setting<Integer> OFFSET_METADATA_MAX_BYTES = Setting.intAtLeast("offset.metadata.max.bytes", 0, 4096,
            "Largest metadata string accepted with a committed offset.");
    public static final Setting<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = Setting.intAtLeast("group.initial.rebalance.delay.ms", 0, 3000,
            "How long the first rebalance of an empty group waits for more members to join.");
    public static final Setting<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = Setting.intAtLeast("group.min.session.timeout.ms", 1, 6000,
            "Smallest session.timeout.ms a group member may ask for.");
    public static final Setting<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = Setting.intAtLeast("group.max.session.timeout.ms", 1, 1800000,
            "Largest session.timeout.ms a group member may ask for.");
    public static final Setting<Integer> GROUP_MAX_SIZE = Setting.intAtLeast("group.max.size", 1, Integer.MAX_VALUE,
            "Most members a classic group may have; joins beyond get GROUP_MAX_SIZE_REACHED.");
    // Log compaction (cleanup.policy=compact): broker defaults of the topic configs, and the log cleaner.
    public static final Setting<CleanupPolicy> LOG_CLEANUP_POLICY = new Setting<>("log.cleanup.policy", "delete",
            text -> CleanupPolicy.parse("log.cleanup.policy", text),
            "Default cleanup.policy of topics: delete, compact or compact,delete.");
    public static final Setting<Boolean> LOG_CLEANER_ENABLE = Setting.bool("log.cleaner.enable", true,
            "Run the log cleaner, which compacts topics with cleanup.policy=compact.");
    public static final Setting<Integer> LOG_CLEANER_THREADS = Setting.intAtLeast("log.cleaner.threads", 1, 1,
            "Threads of the log cleaner: logs cleaned at the same time.");
    public static final Setting<Long> LOG_CLEANER_BACKOFF_MS = Setting.longAtLeast("log.cleaner.backoff.ms", 0, 15000,
            "How long an idle cleaner thread sleeps before looking for a log to clean again.");
    public static final Setting<Double> LOG_CLEANER_MIN_CLEANABLE_RATIO = new Setting<>("log.cleaner.min.cleanable.ratio",
            "0.5", text -> parseDouble(text, 0, 1),
            "Default min.cleanable.dirty.ratio: the share of uncleaned bytes that makes a compacted log worth cleaning.");
    public static final Setting<Long> LOG_CLEANER_DELETE_RETENTION_MS = Setting.longAtLeast(
            "log.cleaner.delete.retention.ms", 0, 86400000L,
            "Default delete.retention.ms: how long tombstones stay after their first cleaning.");
    public static final Setting<Long> LOG_CLEANER_MIN_COMPACTION_LAG_MS = Setting.longAtLeast(
            "log.cleaner.min.compaction.lag.ms", 0, 0, "Default min.compaction.lag.ms.");
    public static final Setting<Long> LOG_CLEANER_MAX_COMPACTION_LAG_MS = Setting.longAtLeast(
            "log.cleaner.max.compaction.lag.ms", 1, Long.MAX_VALUE, "Default max.compaction.lag.ms.");
    public static final Setting<Double> LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = new Setting<>(
            "log.cleaner.io.max.bytes.per.second", Double.toString(Double.MAX_VALUE),
            text -> parseDouble(text, Double.MIN_VALUE, Double.MAX_VALUE),
            "Throttle of the log cleaner's reads plus writes, over all its threads; the default is unlimited.");
    public static final Setting<Long> LOG_CLEANER_DEDUPE_BUFFER_SIZE = Setting.longAtLeast(
            "log.cleaner.dedupe.buffer.size", 1024L * 1024, 128L * 1024 * 1024,
            "Memory for the cleaner's key -> offset maps over all threads (24 bytes a key); at least 1 MiB per thread.");

    static final List<Setting<?>> ALL = List.of(BROKER_ID, LISTENERS, ADVERTISED_LISTENERS, BROKER_RACK, LOG_DIRS,
            ZOOKEEPER_CONNECT, ZOOKEEPER_SESSION_TIMEOUT_MS, ZOOKEEPER_CONNECTION_TIMEOUT_MS, NUM_PARTITIONS,
            DEFAULT_REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, REPLICA_LAG_TIME_MAX_MS, REPLICA_FETCH_WAIT_MAX_MS,
            REPLICA_FETCH_MIN_BYTES, REPLICA_FETCH_MAX_BYTES, REPLICA_FETCH_RESPONSE_MAX_BYTES, REPLICA_FETCH_BACKOFF_MS,
            REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, UNCLEAN_LEADER_ELECTION_ENABLE, CONTROLLED_SHUTDOWN_ENABLE,
            CONTROLLED_SHUTDOWN_TIMEOUT_MS, AUTO_LEADER_REBALANCE_ENABLE, LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS,
            LEADER_IMBALANCE_PER_BROKER_PERCENTAGE, AUTO_CREATE_TOPICS_ENABLE,
            DELETE_TOPIC_ENABLE, LOG_SEGMENT_BYTES, LOG_ROLL_MS, LOG_RETENTION_MS, LOG_RETENTION_BYTES,
            LOG_RETENTION_CHECK_INTERVAL_MS, LOG_INDEX_INTERVAL_BYTES, MESSAGE_MAX_BYTES, SOCKET_REQUEST_MAX_BYTES,
            NUM_IO_THREADS,
            OFFSETS_TOPIC_NUM_PARTITIONS, OFFSETS_TOPIC_REPLICATION_FACTOR, OFFSETS_TOPIC_SEGMENT_BYTES, OFFSETS_RETENTION_MINUTES,
            OFFSETS_RETENTION_CHECK_INTERVAL_MS, OFFSETS_COMMIT_TIMEOUT_MS, OFFSET_METADATA_MAX_BYTES,
            GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_MAX_SIZE,
            LOG_CLEANUP_POLICY, LOG_CLEANER_ENABLE, LOG_CLEANER_THREADS, LOG_CLEANER_BACKOFF_MS,
            LOG_CLEANER_MIN_CLEANABLE_RATIO, LOG_CLEANER_DELETE_RETENTION_MS, LOG_CLEANER_MIN_COMPACTION_LAG_MS,
            LOG_CLEANER_MAX_COMPACTION_LAG_MS, LOG_CLEANER_IO_MAX_BYTES_PER_SECOND, LOG_CLEANER_DEDUPE_BUFFER_SIZE,
            METRICS_LISTENER);

    private final Map<String, Object> values;

    private BrokerConfig(Map<String, Object> values) {
        this.values = values;
    }

    /** Parses and validates every setting; throws {@link BrokerConfigException} naming the first bad key. */
    public static BrokerConfig from(Properties properties) {
        Map<String, Setting<?>> known = new LinkedHashMap<>();
        ALL.forEach(s -> known.put(s.name(), s));
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!known.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new BrokerConfigException("Unknown setting(s) " + String.join(", ", unknown)
                    + "; known settings are: " + String.join(", ", known.keySet()));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            String text = properties.getProperty(setting.name(), setting.defaultValue());
            if (text == null) {
                throw new BrokerConfigException("Missing required setting " + setting.name() + ": " + setting.doc());
            }
            values.put(setting.name(), setting.parse(text));
        }
        return new BrokerConfig(values);
    }

    private static double parseDouble(String text, double min, double max) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number in [" + min + ", " + max + "]");
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("must be a number in [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * This config with one value replaced by what the broker resolved at start-up (the metrics listener's
     * bound URL), so that DescribeConfigs reports the address actually served.
     */
    public <T> BrokerConfig withResolved(Setting<T> setting, T value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(setting.name(), value);
        return new BrokerConfig(copy);
    }

    /** metrics.listener with the default filled in for this broker's id (may still be port 0, or off). */
    public MetricsListener metricsListener() {
        return get(METRICS_LISTENER).resolve(brokerId());
    }

    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked")
        T value = (T) values.get(setting.name());
        return value;
    }

    public int brokerId() {
        return get(BROKER_ID);
    }

    public ListenerAddress listener() {
        return get(LISTENERS);
    }

    /** The address clients are told to connect to. */
    public ListenerAddress advertisedListener(String localHostName) {
        String advertised = get(ADVERTISED_LISTENERS);
        ListenerAddress address = advertised.isEmpty() ? listener() : ListenerAddress.parse(advertised);
        if (address.host().isEmpty() || address.host().equals("0.0.0.0")) {
            return new ListenerAddress(address.securityProtocol(), localHostName, address.port());
        }
        return address;
    }

    public String rack() {
        String rack = get(BROKER_RACK);
        return rack.isEmpty() ? null : rack;
    }

    /** ZooKeeper hosts without the chroot, e.g. {@code localhost:2181}. */
    public String zookeeperHosts() {
        String connect = get(ZOOKEEPER_CONNECT);
        int slash = connect.indexOf('/');
        return slash < 0 ? connect : connect.substring(0, slash);
    }

    /** The chroot of zookeeper.connect; without one the cluster lives under /tributary (docs/architecture.md). */
    public String zookeeperChroot() {
        String connect = get(ZOOKEEPER_CONNECT);
        int slash = connect.indexOf('/');
        return slash < 0 ? "/tributary" : connect.substring(slash);
    }

    /** The settings' names, defaults and meanings, in declaration order, for docs and --help. */
    public static List<Setting<?>> settings() {
        return ALL;
    }

    private static String parseZookeeperConnect(String text) {
        String connect = text.trim();
        int slash = connect.indexOf('/');
        String hosts = slash < 0 ? connect : connect.substring(0, slash);
        String chroot = slash < 0 ? "/" : connect.substring(slash);
        for (String host : hosts.split(",")) {
            if (!host.matches("[A-Za-z0-9.\\-]+:\\d{1,5}") && !host.matches("\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
                throw new IllegalArgumentException("must be host:port[,host:port...][/chroot]; '" + host + "' is not host:port");
            }
        }
        if (chroot.length() > 1 && (chroot.endsWith("/") || chroot.contains("//"))) {
            throw new IllegalArgumentException("the chroot '" + chroot + "' must not end with '/' or contain '//'");
        }
        return connect;
    }

    private static Boolean parseUncleanElection(String text) {
        return switch (text.trim()) {
            case "false" -> false;
            case "true" -> throw new IllegalArgumentException("true is not supported: Tributary never elects a replica "
                    + "outside the ISR, so no acknowledged record is lost");
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static List<Path> parseLogDirs(String text) {
        List<Path> dirs = new ArrayList<>();
        for (String part : Arrays.asList(text.split(","))) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("must be a comma-separated list of directories without empty entries");
            }
            dirs.add(Path.of(part.trim()));
        }
        return List.copyOf(dirs);
    }
}
