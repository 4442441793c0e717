package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's {@code roundrobin}: every partition of every subscribed topic, in (topic, partition) order, goes to
 * the next member in {@link MemberOrder} that subscribes to its topic, cycling over the members.
 */
public final class RoundRobinAssignor extends EagerAssignor {
    public static final String NAME = "roundrobin";

    public RoundRobinAssignor() {
        super(NAME);
    }

    @Override
    void assignInto(Map<String, List<TopicPartition>> result, Map<String, Integer> partitionsPerTopic,
                    Map<String, MemberSubscription> subscriptions) {
        List<String> members = MemberOrder.sorted(subscriptions);
        if (members.isEmpty()) {
            return;
        }
        Map<String, Integer> topics = new TreeMap<>();
        subscriptions.values().forEach(s -> s.topics().forEach(t -> {
            Integer count = partitionsPerTopic.get(t);
            if (count != null) {
                topics.put(t, count);
            }
        }));
        int cursor = 0;
        for (Map.Entry<String, Integer> topic : topics.entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                // The next member (cyclically) that reads this topic; at least one does, or the topic would not be here.
                for (int tries = 0; tries < members.size(); tries++) {
                    String member = members.get(cursor % members.size());
                    cursor++;
                    if (subscriptions.get(member).topics().contains(topic.getKey())) {
                        result.get(member).add(new TopicPartition(topic.getKey(), p));
                        break;
                    }
                }
            }
        }
    }
}
