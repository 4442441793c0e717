package io.tributary.client.admin;

import java.util.Objects;

/**
 * A group as ListGroups names it.
 *
 * @param state        Kafka's state name (Empty, Stable, PreparingRebalance, CompletingRebalance, Dead), or
 *                     "Unknown" when the broker answered a ListGroups version older than 4, which has no state
 * @param protocolType "consumer" for consumer groups, "" for groups that only ever had offsets committed
 *                     (simple consumers, reset tools)
 */
public record GroupListing(String groupId, String state, String protocolType) {
    public GroupListing {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(protocolType, "protocolType");
    }

    /** Consumer groups and offset-only groups: what kafka-consumer-groups --list shows. */
    public boolean isConsumerGroup() {
        return protocolType.isEmpty() || protocolType.equals(GroupDescription.CONSUMER_PROTOCOL_TYPE);
    }
}
