package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Map;

/**
 * Decides, on the group leader, which member reads which partition. Implementations are pure functions of
 * the members' subscriptions and the partition counts, named as Kafka's assignors are (the name is the
 * protocol name in JoinGroup), so a group can mix client-sdk consumers and official Kafka consumers.
 */
public interface PartitionAssignor {

    /** How members hand partitions over during a rebalance. */
    enum RebalanceProtocol {
        /** Every member gives up all its partitions before joining (Kafka's classic behaviour). */
        EAGER,
        /** Members keep their partitions across a rebalance and only revoke those that move (KIP-429). */
        COOPERATIVE
    }

    /** The protocol name sent in JoinGroup: {@code range}, {@code roundrobin}, {@code cooperative-sticky}. */
    String name();

    RebalanceProtocol rebalanceProtocol();

    /**
     * @param partitionsPerTopic partition count of every topic some member subscribes to (missing: unknown topic)
     * @param subscriptions      member id to its subscription
     * @return member id to its partitions, with an entry (maybe empty) for every member
     */
    Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, MemberSubscription> subscriptions);
}
