package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Optional;

/**
 * One member's subscription as the leader sees it in JoinGroup (Kafka's ConsumerProtocol subscription).
 *
 * @param topics          the topics the member reads (already resolved if it subscribed by pattern)
 * @param ownedPartitions what it owns now; cooperative assignors keep these where they can (v1+)
 * @param generation      the generation in which it got them, or -1 if unknown (v2+); resolves double claims
 * @param groupInstanceId its static id, if any: assignors order static members by it so restarts keep partitions
 */
public record MemberSubscription(List<String> topics, List<TopicPartition> ownedPartitions, int generation,
                                 Optional<String> groupInstanceId) {
    public static final int NO_GENERATION = -1;

    public MemberSubscription {
        topics = List.copyOf(topics);
        ownedPartitions = List.copyOf(ownedPartitions);
        groupInstanceId = groupInstanceId == null ? Optional.empty() : groupInstanceId;
    }

    public static MemberSubscription of(List<String> topics) {
        return new MemberSubscription(topics, List.of(), NO_GENERATION, Optional.empty());
    }
}
