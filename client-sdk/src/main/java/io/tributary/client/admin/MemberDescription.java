package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Objects;

/**
 * A member of a group as DescribeGroups reports it.
 *
 * @param groupInstanceId the static member's instance id (KIP-345), or null for a dynamic member
 * @param host            the address the coordinator saw the member connect from, as the broker writes it
 *                        (Kafka's brokers write "/127.0.0.1")
 * @param assignment      the partitions the leader assigned to it, decoded for consumer groups; empty for other
 *                        protocol types and while the group rebalances
 */
public record MemberDescription(String memberId, String groupInstanceId, String clientId, String host,
                                List<TopicPartition> assignment) {
    public MemberDescription {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(host, "host");
        assignment = List.copyOf(assignment);
    }
}
