package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every assignor must guarantee, over many group and topic sizes. */
class AssignorPropertiesTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String assignor : List.of(RangeAssignor.NAME, RoundRobinAssignor.NAME, CooperativeStickyAssignor.NAME)) {
            for (int members : new int[]{1, 2, 3, 5, 7, 12}) {
                for (int partitions : new int[]{1, 3, 6, 7, 50}) {
                    cases.add(Arguments.of(assignor, members, partitions));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} members, {2} partitions")
    @MethodSource("cases")
    void oneTopicIsSplitDisjointCoveringAndBalanced(String name, int members, int partitions) {
        PartitionAssignor assignor = Assignors.create(List.of(name)).get(0);
        Map<String, MemberSubscription> subscriptions = new LinkedHashMap<>();
        for (int i = 0; i < members; i++) {
            subscriptions.put("member-" + i, MemberSubscription.of(List.of("orders")));
        }
        Map<String, List<TopicPartition>> result = assignor.assign(Map.of("orders", partitions), subscriptions);

        assertEquals(subscriptions.keySet(), result.keySet(), "every member gets an entry, maybe empty");
        Set<TopicPartition> seen = new HashSet<>();
        for (List<TopicPartition> given : result.values()) {
            for (TopicPartition tp : given) {
                assertTrue(seen.add(tp), tp + " given twice: " + result);
            }
        }
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition("orders", p));
        }
        assertEquals(all, seen, "every partition is given out");
        int min = result.values().stream().mapToInt(List::size).min().orElseThrow();
        int max = result.values().stream().mapToInt(List::size).max().orElseThrow();
        assertTrue(max - min <= 1, "balanced within one partition: " + result);
        long idle = result.values().stream().filter(List::isEmpty).count();
        assertEquals(Math.max(0, members - partitions), idle, "only members beyond the partition count are idle");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void membersGetOnlyTopicsTheySubscribeTo(String name) {
        PartitionAssignor assignor = Assignors.create(List.of(name)).get(0);
        Map<String, MemberSubscription> subscriptions = Map.of(
                "a", MemberSubscription.of(List.of("clicks", "views")),
                "b", MemberSubscription.of(List.of("views")),
                "c", MemberSubscription.of(List.of("clicks", "missing")));
        Map<String, List<TopicPartition>> result = assignor.assign(Map.of("clicks", 4, "views", 5), subscriptions);

        Set<TopicPartition> seen = new HashSet<>();
        result.forEach((member, partitions) -> partitions.forEach(tp -> {
            assertTrue(subscriptions.get(member).topics().contains(tp.topic()), member + " got " + tp + ": " + result);
            assertTrue(seen.add(tp), tp + " given twice: " + result);
        }));
        assertEquals(9, seen.size(), "all 4 + 5 partitions are given out, the unknown topic is ignored: " + result);
    }

    static Stream<String> names() {
        return Stream.of(RangeAssignor.NAME, RoundRobinAssignor.NAME, CooperativeStickyAssignor.NAME);
    }
}
