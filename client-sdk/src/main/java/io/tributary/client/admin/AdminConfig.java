package io.tributary.client.admin;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.ConfigReader;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The admin client's settings (Kafka names); unknown keys or bad values throw {@link ConfigException}. */
public record AdminConfig(List<InetSocketAddress> bootstrapServers, String clientId, int requestTimeoutMs,
                          long retryBackoffMs, int connectionSetupTimeoutMs) {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";

    private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, REQUEST_TIMEOUT_MS, RETRY_BACKOFF_MS,
            CONNECTION_SETUP_TIMEOUT_MS);

    public static AdminConfig from(Properties properties) {
        return from(ConfigReader.toMap(properties));
    }

    public static AdminConfig from(Map<String, ?> values) {
        ConfigReader r = new ConfigReader(values, KEYS);
        return new AdminConfig(
                r.bootstrapServers(BOOTSTRAP_SERVERS),
                r.string(CLIENT_ID, "tributary-admin"),
                r.intAtLeast(REQUEST_TIMEOUT_MS, 30_000, 1),
                r.longAtLeast(RETRY_BACKOFF_MS, 100, 0),
                r.intAtLeast(CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1));
    }
}
