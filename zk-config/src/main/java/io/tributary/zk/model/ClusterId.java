package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/** Data of {@code /cluster/id}: created once, reported in Metadata responses. */
public record ClusterId(@JsonProperty("id") String id) implements ZkRecord {

    @JsonCreator
    public ClusterId {
        Objects.requireNonNull(id, "id");
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }
}
