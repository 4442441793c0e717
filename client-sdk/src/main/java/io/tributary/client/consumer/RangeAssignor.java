package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's {@code range}: topic by topic, the members subscribed to it (in {@link MemberOrder}) get contiguous
 * ranges of its partitions; with P partitions and N members the first P mod N members get one more.
 * Co-partitioned topics therefore land together (partition i of every topic on the same member).
 */
public final class RangeAssignor extends EagerAssignor {
    public static final String NAME = "range";

    public RangeAssignor() {
        super(NAME);
    }

    @Override
    void assignInto(Map<String, List<TopicPartition>> result, Map<String, Integer> partitionsPerTopic,
                    Map<String, MemberSubscription> subscriptions) {
        Map<String, List<String>> membersPerTopic = new TreeMap<>();
        for (String member : MemberOrder.sorted(subscriptions)) {
            for (String topic : subscriptions.get(member).topics()) {
                List<String> members = membersPerTopic.computeIfAbsent(topic, t -> new ArrayList<>());
                if (!members.contains(member)) {
                    members.add(member);
                }
            }
        }
        membersPerTopic.forEach((topic, members) -> {
            Integer partitions = partitionsPerTopic.get(topic);
            if (partitions == null) {
                return; // not (yet) in the metadata
            }
            int perMember = partitions / members.size();
            int withExtra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int count = perMember + (i < withExtra ? 1 : 0);
                for (int k = 0; k < count; k++) {
                    result.get(members.get(i)).add(new TopicPartition(topic, next++));
                }
            }
        });
    }
}
