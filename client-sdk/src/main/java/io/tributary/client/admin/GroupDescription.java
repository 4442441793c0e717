package io.tributary.client.admin;

import io.tributary.client.common.Node;

import java.util.List;
import java.util.Objects;

/**
 * A group as its coordinator describes it.
 *
 * @param state        Kafka's state name; "Dead" for a group the coordinator does not know (DescribeGroups
 *                     below v6 answers so rather than with an error)
 * @param protocolType "consumer" for consumer groups, "" for offset-only groups
 * @param protocol     the assignor the group agreed on (range, roundrobin, cooperative-sticky ...), "" when none
 * @param coordinator  the broker that answered
 */
public record GroupDescription(String groupId, String state, String protocolType, String protocol, Node coordinator,
                               List<MemberDescription> members) {
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";
    public static final String EMPTY = "Empty";
    public static final String DEAD = "Dead";

    public GroupDescription {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
        members = List.copyOf(members);
    }

    /** Whether the coordinator knows the group at all. */
    public boolean exists() {
        return !DEAD.equals(state);
    }

    /** No live members: the only states in which offsets may be reset or the group deleted, as in Kafka. */
    public boolean isInactive() {
        return EMPTY.equals(state) || DEAD.equals(state);
    }
}
