package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * Data of {@code /admin/preferred_leader_elections/<request>}: partitions whose leadership should move back to
 * their preferred replica (the first of their replica list). Each partition's current leader performs the move.
 */
public record PreferredLeaderElection(@JsonProperty("partitions") List<Partition> partitions) implements ZkRecord {

    /** One partition of the request. */
    public record Partition(@JsonProperty("topic") String topic, @JsonProperty("partition") int partition) {
        @JsonCreator
        public Partition {
            Objects.requireNonNull(topic, "topic");
        }
    }

    @JsonCreator
    public PreferredLeaderElection {
        partitions = List.copyOf(Objects.requireNonNull(partitions, "partitions"));
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }
}
