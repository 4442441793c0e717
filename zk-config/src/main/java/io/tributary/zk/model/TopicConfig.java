package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Data of {@code /config/topics/<t>}: per-topic overrides with Kafka's names (retention.ms, ...). */
public record TopicConfig(@JsonProperty("config") Map<String, String> config) implements ZkRecord {

    @JsonCreator
    public TopicConfig {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(config));
    }

    public static TopicConfig empty() {
        return new TopicConfig(Map.of());
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }
}
