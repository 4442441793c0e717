package io.tributary.client.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which range and round-robin hand out partitions: static members (group.instance.id) first,
 * by instance id, then dynamic members by member id, as Kafka's assignors sort them. Ordering static
 * members by their stable id is what lets a restarted static member get the same partitions back.
 */
final class MemberOrder {
    private MemberOrder() {
    }

    static List<String> sorted(Map<String, MemberSubscription> subscriptions) {
        List<String> members = new ArrayList<>(subscriptions.keySet());
        members.sort(Comparator.<String, Boolean>comparing(m -> subscriptions.get(m).groupInstanceId().isEmpty())
                .thenComparing(m -> subscriptions.get(m).groupInstanceId().orElse(""))
                .thenComparing(Comparator.naturalOrder()));
        return members;
    }
}
