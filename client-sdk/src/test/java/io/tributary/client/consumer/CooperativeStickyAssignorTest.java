package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stickiness and the two-round cooperative hand-over (KIP-429): a partition that moves is first taken from its
 * old owner, which revokes it and rejoins, and only given to its new owner in the next round.
 */
class CooperativeStickyAssignorTest {
    private final CooperativeStickyAssignor assignor = new CooperativeStickyAssignor();

    private static MemberSubscription owning(int generation, List<TopicPartition> owned) {
        return new MemberSubscription(List.of("t"), owned, generation, Optional.empty());
    }

    private static List<TopicPartition> t(int... partitions) {
        return java.util.Arrays.stream(partitions).mapToObj(p -> new TopicPartition("t", p)).toList();
    }

    @Test
    void aJoiningMemberTakesOnlyWhatBalanceNeedsAndOnlyAfterTheOwnersRevokedIt() {
        // a and b own 3 each of 6; c joins.
        Map<String, MemberSubscription> first = new LinkedHashMap<>();
        first.put("a", owning(5, t(0, 1, 2)));
        first.put("b", owning(5, t(3, 4, 5)));
        first.put("c", owning(-1, List.of()));
        Map<String, List<TopicPartition>> round1 = assignor.assign(Map.of("t", 6), first);

        Set<TopicPartition> keptA = new HashSet<>(round1.get("a"));
        Set<TopicPartition> keptB = new HashSet<>(round1.get("b"));
        assertTrue(t(0, 1, 2).containsAll(keptA) && t(3, 4, 5).containsAll(keptB), "owners only keep their own: " + round1);
        assertEquals(2, keptA.size(), "a gives up exactly one: " + round1);
        assertEquals(2, keptB.size(), "b gives up exactly one: " + round1);
        assertEquals(List.of(), round1.get("c"), "c gets nothing until the owners revoked: " + round1);

        // a and b revoke what they lost and rejoin, owning what round 1 left them.
        Map<String, MemberSubscription> second = new LinkedHashMap<>();
        second.put("a", owning(6, round1.get("a")));
        second.put("b", owning(6, round1.get("b")));
        second.put("c", owning(6, List.of()));
        Map<String, List<TopicPartition>> round2 = assignor.assign(Map.of("t", 6), second);
        assertEquals(new HashSet<>(round1.get("a")), new HashSet<>(round2.get("a")), "no further movement for a");
        assertEquals(new HashSet<>(round1.get("b")), new HashSet<>(round2.get("b")), "no further movement for b");
        Set<TopicPartition> toC = new HashSet<>(t(0, 1, 2, 3, 4, 5));
        toC.removeAll(keptA);
        toC.removeAll(keptB);
        assertEquals(toC, new HashSet<>(round2.get("c")), "c gets exactly the two revoked partitions");
    }

    @Test
    void whenAMemberLeavesTheSurvivorsKeepEverythingTheyHadAndShareItsPartitions() {
        Map<String, MemberSubscription> subs = new LinkedHashMap<>();
        subs.put("a", owning(3, t(0, 1)));
        subs.put("b", owning(3, t(2, 3)));
        // c (owning 4, 5) is gone
        Map<String, List<TopicPartition>> result = assignor.assign(Map.of("t", 6), subs);
        assertTrue(result.get("a").containsAll(t(0, 1)) && result.get("b").containsAll(t(2, 3)), result.toString());
        assertEquals(3, result.get("a").size());
        assertEquals(3, result.get("b").size());
    }

    @Test
    void aStableBalancedGroupMovesNothing() {
        Map<String, MemberSubscription> subs = new LinkedHashMap<>();
        subs.put("a", owning(9, t(5, 0)));
        subs.put("b", owning(9, t(1, 4)));
        subs.put("c", owning(9, t(2, 3)));
        Map<String, List<TopicPartition>> result = assignor.assign(Map.of("t", 6), subs);
        assertEquals(Set.of(new TopicPartition("t", 0), new TopicPartition("t", 5)), new HashSet<>(result.get("a")));
        assertEquals(Set.copyOf(t(1, 4)), new HashSet<>(result.get("b")));
        assertEquals(Set.copyOf(t(2, 3)), new HashSet<>(result.get("c")));
    }

    @Test
    void movesAreMinimalOverManyGrowingGroups() {
        for (int partitions = 1; partitions <= 24; partitions++) {
            for (int members = 1; members <= 8; members++) {
                // A balanced group of `members` gets one more member.
                Map<String, List<TopicPartition>> before = assignor.assign(Map.of("t", partitions), fresh(members));
                Map<String, MemberSubscription> subs = new LinkedHashMap<>();
                before.forEach((m, owned) -> subs.put(m, owning(1, owned)));
                subs.put("new", owning(-1, List.of()));
                Map<String, List<TopicPartition>> after = assignor.assign(Map.of("t", partitions), subs);
                int lost = 0;
                for (String m : before.keySet()) {
                    assertTrue(before.get(m).containsAll(after.get(m)), "an owner is only ever reduced in round 1");
                    lost += before.get(m).size() - after.get(m).size();
                }
                int target = partitions / (members + 1); // the newcomer's fair share (at least)
                assertEquals(target, lost, partitions + " partitions, " + members + " + 1 members: moved " + lost + ": " + after);
            }
        }
    }

    @Test
    void aPartitionClaimedByTwoMembersGoesToTheNewerGeneration() {
        Map<String, MemberSubscription> subs = new LinkedHashMap<>();
        subs.put("stale", owning(4, t(0, 1)));
        subs.put("current", owning(5, t(1, 2)));
        Map<String, List<TopicPartition>> result = assignor.assign(Map.of("t", 4), subs);
        assertTrue(result.get("current").contains(new TopicPartition("t", 1)), result.toString());
        assertTrue(!result.get("stale").contains(new TopicPartition("t", 1)), result.toString());
    }

    private static Map<String, MemberSubscription> fresh(int members) {
        Map<String, MemberSubscription> subs = new HashMap<>();
        for (int i = 0; i < members; i++) {
            subs.put("m" + i, owning(-1, new ArrayList<>()));
        }
        return subs;
    }
}
