package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact layouts of range and round-robin, which official Kafka consumers in the same group expect too. */
class RangeAndRoundRobinAssignorTest {

    private static List<TopicPartition> tps(String topic, int... partitions) {
        return java.util.Arrays.stream(partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    @Test
    void rangeGivesContiguousRangesAndTheRemainderToTheFirstMembers() {
        Map<String, List<TopicPartition>> result = new RangeAssignor().assign(Map.of("t", 7), Map.of(
                "c", MemberSubscription.of(List.of("t")),
                "a", MemberSubscription.of(List.of("t")),
                "b", MemberSubscription.of(List.of("t"))));
        assertEquals(tps("t", 0, 1, 2), result.get("a"));
        assertEquals(tps("t", 3, 4), result.get("b"));
        assertEquals(tps("t", 5, 6), result.get("c"));
    }

    @Test
    void rangeKeepsCoPartitionedTopicsTogether() {
        Map<String, List<TopicPartition>> result = new RangeAssignor().assign(Map.of("orders", 4, "payments", 4), Map.of(
                "a", MemberSubscription.of(List.of("orders", "payments")),
                "b", MemberSubscription.of(List.of("orders", "payments"))));
        assertEquals(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                new TopicPartition("payments", 0), new TopicPartition("payments", 1)), result.get("a"));
        assertEquals(List.of(new TopicPartition("orders", 2), new TopicPartition("orders", 3),
                new TopicPartition("payments", 2), new TopicPartition("payments", 3)), result.get("b"));
    }

    @Test
    void staticMembersComeFirstInInstanceIdOrderSoARestartKeepsItsPartitions() {
        Map<String, MemberSubscription> subs = Map.of(
                "aaa-dynamic", MemberSubscription.of(List.of("t")),
                "zzz-1", new MemberSubscription(List.of("t"), List.of(), -1, Optional.of("instance-1")),
                "yyy-2", new MemberSubscription(List.of("t"), List.of(), -1, Optional.of("instance-2")));
        Map<String, List<TopicPartition>> result = new RangeAssignor().assign(Map.of("t", 3), subs);
        assertEquals(tps("t", 0), result.get("zzz-1"));
        assertEquals(tps("t", 1), result.get("yyy-2"));
        assertEquals(tps("t", 2), result.get("aaa-dynamic"));
    }

    @Test
    void roundRobinDealsPartitionsOfAllTopicsInTurn() {
        Map<String, List<TopicPartition>> result = new RoundRobinAssignor().assign(Map.of("x", 3, "y", 2), Map.of(
                "a", MemberSubscription.of(List.of("x", "y")),
                "b", MemberSubscription.of(List.of("x", "y"))));
        // x-0 a, x-1 b, x-2 a, y-0 b, y-1 a
        assertEquals(List.of(new TopicPartition("x", 0), new TopicPartition("x", 2), new TopicPartition("y", 1)), result.get("a"));
        assertEquals(List.of(new TopicPartition("x", 1), new TopicPartition("y", 0)), result.get("b"));
    }

    @Test
    void roundRobinSkipsMembersThatDoNotReadTheTopic() {
        Map<String, List<TopicPartition>> result = new RoundRobinAssignor().assign(Map.of("x", 4), Map.of(
                "a", MemberSubscription.of(List.of("x")),
                "b", MemberSubscription.of(List.of("other")),
                "c", MemberSubscription.of(List.of("x"))));
        assertEquals(tps("x", 0, 2), result.get("a"));
        assertEquals(List.of(), result.get("b"));
        assertEquals(tps("x", 1, 3), result.get("c"));
    }
}
