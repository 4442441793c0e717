package io.tributary.broker.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code metrics.listener} setting: where the broker serves {@code /metrics} and {@code /health/*} over
 * HTTP. Written {@code http://host:port} (port 0 = any free port), {@code none} to switch metrics off, or left
 * empty for the default {@code http://localhost:<9191 + broker.id>}, so brokers 1, 2, 3 on one host get 9192,
 * 9193, 9194 without any configuration.
 *
 * @param host empty when {@link #isDefault()} or {@link #isOff()}
 */
public record MetricsListener(Kind kind, String host, int port) {

    public enum Kind { DEFAULT, OFF, ADDRESS }

    /** Base of the default port: broker {@code id} listens on {@code DEFAULT_PORT_BASE + id}. */
    public static final int DEFAULT_PORT_BASE = 9191;

    private static final Pattern FORMAT = Pattern.compile("^http://(\\[[^\\]]*\\]|[^:/\\[\\]]+):(\\d{1,5})/?$");

    static MetricsListener parse(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            return new MetricsListener(Kind.DEFAULT, "", -1);
        }
        if (value.equals("none")) {
            return new MetricsListener(Kind.OFF, "", -1);
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be http://host:port (port 0 = any free port) or none");
        }
        int port = Integer.parseInt(m.group(2));
        if (port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        String host = m.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new MetricsListener(Kind.ADDRESS, host, port);
    }

    public boolean isOff() {
        return kind == Kind.OFF;
    }

    public boolean isDefault() {
        return kind == Kind.DEFAULT;
    }

    /** The address to bind for this broker: the default one filled in from its id. */
    public MetricsListener resolve(int brokerId) {
        return kind == Kind.DEFAULT ? new MetricsListener(Kind.ADDRESS, "localhost", DEFAULT_PORT_BASE + brokerId) : this;
    }

    /** The same host on the port actually bound (differs when the setting asked for port 0). */
    public MetricsListener withPort(int boundPort) {
        return new MetricsListener(Kind.ADDRESS, host, boundPort);
    }

    /** {@code http://host:port}, {@code none}, or empty for the unresolved default. */
    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "";
            case OFF -> "none";
            case ADDRESS -> "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        };
    }
}
