package io.tributary.broker.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A listener as Kafka writes it, {@code PLAINTEXT://host:port}; an empty host means every interface. */
public record ListenerAddress(String securityProtocol, String host, int port) {

    private static final Pattern FORMAT = Pattern.compile("^([A-Za-z_]+)://(\\[[^\\]]*\\]|[^:/\\[\\]]*):(\\d{1,5})$");

    static ListenerAddress parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must look like PLAINTEXT://host:port");
        }
        String protocol = m.group(1).toUpperCase();
        if (!protocol.equals("PLAINTEXT")) {
            throw new IllegalArgumentException("only the PLAINTEXT security protocol is supported, not " + protocol);
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ListenerAddress(protocol, host, port);
    }

    /** The address to bind: an empty host binds every interface. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    @Override
    public String toString() {
        return securityProtocol + "://" + host + ":" + port;
    }
}
