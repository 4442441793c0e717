package io.tributary.client.common;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values out of Kafka-style client properties. It is shared by the three client configs so
 * every one of them rejects unknown keys and bad values the same way: with a {@link ConfigException}
 * that names the key, the value and what is allowed. Values may be strings or the matching Java type,
 * as with Kafka's clients.
 */
public final class ConfigReader {
    private final Map<String, ?> values;

    /** @throws ConfigException for the first key (in sorted order) that is not in {@code knownKeys} */
    public ConfigReader(Map<String, ?> values, Set<String> knownKeys) {
        this.values = Map.copyOf(withoutNullValues(values));
        for (String key : new TreeSet<>(values.keySet())) {
            if (!knownKeys.contains(key)) {
                throw new ConfigException(key, values.get(key), "unknown configuration; known keys are " + new TreeSet<>(knownKeys));
            }
        }
    }

    /** Properties as a map of string keys; non-string keys are rejected rather than silently dropped. */
    public static Map<String, Object> toMap(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new ConfigException(String.valueOf(e.getKey()), e.getValue(), "configuration keys must be strings");
            }
            map.put(key, e.getValue());
        }
        return map;
    }

    private static Map<String, Object> withoutNullValues(Map<String, ?> values) {
        Map<String, Object> copy = new HashMap<>();
        values.forEach((k, v) -> {
            if (k == null) {
                throw new ConfigException("null", v, "configuration keys must not be null");
            }
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /** Whether the user gave a value for {@code key} (some defaults depend on what else was set explicitly). */
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** {@code true}/{@code false}, case-insensitive, as a string or a Boolean. */
    public boolean bool(String key, boolean defaultValue) {
        Object raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = raw.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key, raw, "must be true or false");
    }

    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        return v == null ? defaultValue : v.toString().trim();
    }

    public String requiredString(String key) {
        String v = string(key, null);
        if (v == null || v.isEmpty()) {
            throw new ConfigException(key, v, "this configuration is required");
        }
        return v;
    }

    public int intAtLeast(String key, int defaultValue, int min) {
        long v = longAtLeast(key, defaultValue, min);
        if (v > Integer.MAX_VALUE) {
            throw new ConfigException(key, values.get(key), "must be at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    public long longAtLeast(String key, long defaultValue, long min) {
        Object raw = values.get(key);
        long v;
        if (raw == null) {
            v = defaultValue;
        } else if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            v = ((Number) raw).longValue();
        } else if (raw instanceof String s) {
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key, raw, "must be an integer");
            }
        } else {
            throw new ConfigException(key, raw, "must be an integer, not a " + raw.getClass().getSimpleName());
        }
        if (v < min) {
            throw new ConfigException(key, raw, "must be at least " + min);
        }
        return v;
    }

    /** A value from a fixed set, compared case-insensitively and returned in lower case. */
    public String oneOf(String key, String defaultValue, Set<String> allowed) {
        String v = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new ConfigException(key, values.get(key), "must be one of " + new TreeSet<>(allowed));
        }
        return v;
    }

    /** {@code host:port[,host:port...]}; IPv6 literals in brackets ({@code [::1]:9092}). */
    public List<InetSocketAddress> bootstrapServers(String key) {
        String raw = requiredString(key);
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new ConfigException(key, raw, "entry '" + s + "' is not host:port");
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(key, raw, "entry '" + s + "' has a port that is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(key, raw, "entry '" + s + "' has port " + port + " outside 1-65535");
            }
            addresses.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (addresses.isEmpty()) {
            throw new ConfigException(key, raw, "must list at least one host:port");
        }
        return List.copyOf(addresses);
    }
}
