package io.tributary.client.admin;

import java.util.Objects;

/**
 * What a config belongs to: a topic, a broker by id, or (name "") the cluster-wide broker defaults.
 *
 * @param name the topic name or broker id; "" with {@link Type#BROKER} for the cluster default
 */
public record ConfigResource(Type type, String name) {

    /** The resource types with Kafka's wire ids. */
    public enum Type {
        TOPIC((byte) 2), BROKER((byte) 4);

        private final byte id;

        Type(byte id) {
            this.id = id;
        }

        public byte id() {
            return id;
        }
    }

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    public static ConfigResource broker(int id) {
        return new ConfigResource(Type.BROKER, Integer.toString(id));
    }

    public static ConfigResource brokerDefault() {
        return new ConfigResource(Type.BROKER, "");
    }

    public boolean isBrokerDefault() {
        return type == Type.BROKER && name.isEmpty();
    }
}
