package io.tributary.client.consumer;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.ConfigReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The consumer-group settings, with Kafka's names and defaults. Without group.id the consumer can only
 * {@code assign()} partitions, and settings that need a group (auto-commit asked for explicitly,
 * group.instance.id) are refused rather than silently ignored.
 *
 * @param groupId               group.id, empty when the consumer has no group
 * @param groupInstanceId       group.instance.id: a static member (KIP-345)
 * @param maxPollIntervalMs     also the rebalance timeout sent in JoinGroup, as Kafka's client does
 * @param assignmentStrategies  partition.assignment.strategy, protocol names in order of preference
 */
public record GroupConfig(Optional<String> groupId, Optional<String> groupInstanceId, int sessionTimeoutMs,
                          int heartbeatIntervalMs, int maxPollIntervalMs, boolean enableAutoCommit, long autoCommitIntervalMs,
                          List<String> assignmentStrategies) {

    public static final String GROUP_ID = "group.id";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";
    /** Kafka 3.x/4.x's default list: range is picked until every member also offers cooperative-sticky. */
    public static final String DEFAULT_ASSIGNMENT_STRATEGY = "range,cooperative-sticky";

    static final Set<String> KEYS = Set.of(GROUP_ID, GROUP_INSTANCE_ID, SESSION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS,
            MAX_POLL_INTERVAL_MS, ENABLE_AUTO_COMMIT, AUTO_COMMIT_INTERVAL_MS, PARTITION_ASSIGNMENT_STRATEGY);

    public GroupConfig {
        assignmentStrategies = List.copyOf(assignmentStrategies);
    }

    public boolean hasGroup() {
        return groupId.isPresent();
    }

    static GroupConfig read(ConfigReader r) {
        Optional<String> groupId = Optional.ofNullable(r.string(GROUP_ID, null));
        if (groupId.isPresent() && groupId.get().isEmpty()) {
            throw new ConfigException(GROUP_ID, "", "must not be empty; leave it unset to use assign() without a group");
        }
        Optional<String> instanceId = Optional.ofNullable(r.string(GROUP_INSTANCE_ID, null));
        if (instanceId.isPresent()) {
            if (groupId.isEmpty()) {
                throw new ConfigException(GROUP_INSTANCE_ID, instanceId.get(), "needs group.id: static membership is membership of a group");
            }
            if (instanceId.get().isEmpty() || !instanceId.get().matches("[a-zA-Z0-9._-]+") || instanceId.get().length() > 249) {
                throw new ConfigException(GROUP_INSTANCE_ID, instanceId.get(),
                        "must be 1-249 characters of ASCII letters, digits, '.', '_' and '-'");
            }
        }
        int session = r.intAtLeast(SESSION_TIMEOUT_MS, 45_000, 1);
        int heartbeat = r.intAtLeast(HEARTBEAT_INTERVAL_MS, 3_000, 1);
        if (heartbeat >= session) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS, heartbeat,
                    "must be lower than session.timeout.ms = " + session + " (Kafka advises at most a third of it)");
        }
        int maxPollInterval = r.intAtLeast(MAX_POLL_INTERVAL_MS, 300_000, 1);
        if (r.isSet(ENABLE_AUTO_COMMIT) && r.bool(ENABLE_AUTO_COMMIT, true) && groupId.isEmpty()) {
            throw new ConfigException(ENABLE_AUTO_COMMIT, "true", "needs group.id: offsets are committed for a group");
        }
        boolean autoCommit = groupId.isPresent() && r.bool(ENABLE_AUTO_COMMIT, true);
        long autoCommitInterval = r.longAtLeast(AUTO_COMMIT_INTERVAL_MS, 5_000, 0);
        return new GroupConfig(groupId, instanceId, session, heartbeat, maxPollInterval, autoCommit, autoCommitInterval,
                strategies(r.string(PARTITION_ASSIGNMENT_STRATEGY, DEFAULT_ASSIGNMENT_STRATEGY)));
    }

    private static List<String> strategies(String raw) {
        List<String> names = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = shortName(part.trim());
            if (name.isEmpty()) {
                continue;
            }
            if (!Assignors.isKnown(name)) {
                throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, raw, "unknown assignor '" + part.trim()
                        + "'; known: " + Assignors.names());
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY, raw, "must name at least one assignor of " + Assignors.names());
        }
        return names;
    }

    /** Accepts Kafka's class names too, so a properties file written for the official client works unchanged. */
    private static String shortName(String name) {
        return switch (name) {
            case "org.apache.kafka.clients.consumer.RangeAssignor" -> RangeAssignor.NAME;
            case "org.apache.kafka.clients.consumer.RoundRobinAssignor" -> RoundRobinAssignor.NAME;
            case "org.apache.kafka.clients.consumer.CooperativeStickyAssignor" -> CooperativeStickyAssignor.NAME;
            default -> name.toLowerCase(Locale.ROOT);
        };
    }
}
