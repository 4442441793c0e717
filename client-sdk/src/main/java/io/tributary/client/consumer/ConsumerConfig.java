package io.tributary.client.consumer;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.ConfigReader;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The consumer's settings, with Kafka's names and defaults. An unknown key or a bad value throws
 * {@link ConfigException} naming the key. The consumer-group settings (group.id, ...) are read into
 * {@link GroupConfig}.
 */
public record ConsumerConfig(
        List<InetSocketAddress> bootstrapServers,
        String clientId,
        OffsetResetStrategy autoOffsetReset,
        int fetchMinBytes,
        int fetchMaxWaitMs,
        int fetchMaxBytes,
        int maxPartitionFetchBytes,
        int maxPollRecords,
        int requestTimeoutMs,
        long retryBackoffMs,
        long metadataMaxAgeMs,
        int connectionSetupTimeoutMs,
        GroupConfig group) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";

    private static final Set<String> KEYS = union(Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, AUTO_OFFSET_RESET, FETCH_MIN_BYTES,
            FETCH_MAX_WAIT_MS, FETCH_MAX_BYTES, MAX_PARTITION_FETCH_BYTES, MAX_POLL_RECORDS, REQUEST_TIMEOUT_MS,
            RETRY_BACKOFF_MS, METADATA_MAX_AGE_MS, CONNECTION_SETUP_TIMEOUT_MS), GroupConfig.KEYS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    public static ConsumerConfig from(Properties properties) {
        return from(ConfigReader.toMap(properties));
    }

    public static ConsumerConfig from(Map<String, ?> values) {
        ConfigReader r = new ConfigReader(values, KEYS);
        String reset = r.oneOf(AUTO_OFFSET_RESET, "latest", Set.of("earliest", "latest", "none"));
        int fetchMaxWaitMs = r.intAtLeast(FETCH_MAX_WAIT_MS, 500, 0);
        int requestTimeoutMs = r.intAtLeast(REQUEST_TIMEOUT_MS, 30_000, 1);
        // A fetch may legitimately wait fetch.max.wait.ms on the broker; a shorter request timeout
        // would disconnect every idle long-poll.
        if (requestTimeoutMs <= fetchMaxWaitMs) {
            throw new ConfigException(REQUEST_TIMEOUT_MS, requestTimeoutMs, "must be greater than fetch.max.wait.ms = " + fetchMaxWaitMs);
        }
        return new ConsumerConfig(
                r.bootstrapServers(BOOTSTRAP_SERVERS),
                r.string(CLIENT_ID, "tributary-consumer"),
                OffsetResetStrategy.valueOf(reset.toUpperCase(Locale.ROOT)),
                r.intAtLeast(FETCH_MIN_BYTES, 1, 0),
                fetchMaxWaitMs,
                r.intAtLeast(FETCH_MAX_BYTES, 52_428_800, 0),
                r.intAtLeast(MAX_PARTITION_FETCH_BYTES, 1_048_576, 0),
                r.intAtLeast(MAX_POLL_RECORDS, 500, 1),
                requestTimeoutMs,
                r.longAtLeast(RETRY_BACKOFF_MS, 100, 0),
                r.longAtLeast(METADATA_MAX_AGE_MS, 300_000, 0),
                r.intAtLeast(CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1),
                GroupConfig.read(r));
    }
}
