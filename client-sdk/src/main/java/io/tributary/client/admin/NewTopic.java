package io.tributary.client.admin;

import java.util.Map;
import java.util.Objects;

/** A topic to create; {@code configs} are per-topic overrides such as retention.ms. */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public NewTopic {
        Objects.requireNonNull(name, "name");
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    public NewTopic(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }
}
