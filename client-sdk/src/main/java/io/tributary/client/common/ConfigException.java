package io.tributary.client.common;

/** A client configuration is invalid; the message names the key, the bad value and what is allowed. */
public class ConfigException extends TributaryException {
    private final String key;

    public ConfigException(String key, Object value, String problem) {
        super("Invalid value " + (value == null ? "null" : "'" + value + "'") + " for configuration '" + key + "': " + problem);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
