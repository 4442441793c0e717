package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Kafka's eager assignors ({@code range}, {@code roundrobin}) have in common: a fixed protocol name, the
 * eager hand-over, and a result with an entry for every member, filled in by the subclass.
 */
abstract class EagerAssignor implements PartitionAssignor {
    private final String name;

    EagerAssignor(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final RebalanceProtocol rebalanceProtocol() {
        return RebalanceProtocol.EAGER;
    }

    @Override
    public final Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                          Map<String, MemberSubscription> subscriptions) {
        Map<String, List<TopicPartition>> result = new HashMap<>();
        subscriptions.keySet().forEach(m -> result.put(m, new ArrayList<>()));
        assignInto(result, partitionsPerTopic, subscriptions);
        return result;
    }

    /** Adds each partition to its member's list in {@code result}, which has an empty list for every member. */
    abstract void assignInto(Map<String, List<TopicPartition>> result, Map<String, Integer> partitionsPerTopic,
                             Map<String, MemberSubscription> subscriptions);
}
