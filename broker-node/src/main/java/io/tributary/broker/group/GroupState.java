package io.tributary.broker.group;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a classic group, with the states each may be entered from (Kafka's GroupMetadata state chart).
 * The names are what ListGroups and DescribeGroups report.
 */
public enum GroupState {
    /** No members; offsets may still be stored. Joins start a rebalance; simple consumers may commit. */
    EMPTY("Empty"),
    /** Waiting for every member to (re)join; joins are parked until the rebalance completes. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Join answered; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment; heartbeats keep members alive. */
    STABLE("Stable"),
    /** Deleted or unloaded: no operation may touch the group any more. */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }

    /** The states from which this one may be entered. */
    Set<GroupState> validPrevious() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(EMPTY, STABLE, COMPLETING_REBALANCE);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
    }

    /** The state with this Kafka name, ignoring case (ListGroups' states filter). */
    public static Optional<GroupState> fromKafkaName(String name) {
        return Arrays.stream(values()).filter(s -> s.kafkaName.equalsIgnoreCase(name)).findFirst();
    }
}
