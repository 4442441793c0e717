package io.tributary.coordinator.assignment;

import io.tributary.zk.model.BrokerRegistration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaAssignerTest {

    private static List<BrokerRegistration> brokers(String... racks) {
        List<BrokerRegistration> list = new ArrayList<>();
        for (int i = 0; i < racks.length; i++) {
            list.add(new BrokerRegistration(i + 1, "h" + (i + 1), 9092, racks[i], List.of(), 0L));
        }
        return list;
    }

    private static List<BrokerRegistration> noRacks(int n) {
        return brokers(new String[n]);
    }

    @Test
    void roundRobinLeadersAndShiftedFollowers() {
        Map<Integer, List<Integer>> a = ReplicaAssigner.assign(6, 2, noRacks(3), 0);
        // Leaders go 1,2,3,1,2,3; after a full round of brokers the followers move one further away.
        assertEquals(Map.of(
                0, List.of(1, 2), 1, List.of(2, 3), 2, List.of(3, 1),
                3, List.of(1, 3), 4, List.of(2, 1), 5, List.of(3, 2)), a);
    }

    @Test
    void leadersAndReplicasSpreadEvenlyWithoutDuplicates() {
        for (int n = 1; n <= 7; n++) {
            for (int rf = 1; rf <= Math.min(n, 3); rf++) {
                for (int partitions : new int[] {1, n, 2 * n + 1, 5 * n}) {
                    for (int start = 0; start < n; start++) {
                        Map<Integer, List<Integer>> a = ReplicaAssigner.assign(partitions, rf, noRacks(n), start);
                        assertShape(a, partitions, rf);
                        assertSpread(a, n, partitions, rf, "n=" + n + " rf=" + rf + " p=" + partitions + " start=" + start);
                    }
                }
            }
        }
    }

    @Test
    void brokersAreSortedByIdWhateverTheInputOrder() {
        List<BrokerRegistration> shuffled = new ArrayList<>(noRacks(4));
        java.util.Collections.reverse(shuffled);
        assertEquals(ReplicaAssigner.assign(8, 3, noRacks(4), 1), ReplicaAssigner.assign(8, 3, shuffled, 1));
        // Leader at index 1 (broker 2); the follower shift also starts at the start index.
        assertEquals(List.of(2, 4, 1), ReplicaAssigner.assign(1, 3, shuffled, 1).get(0));
    }

    @Test
    void rackAwareReplicasLandOnDistinctRacks() {
        List<BrokerRegistration> brokers = brokers("a", "a", "b", "b", "c", "c");
        Map<Integer, String> rackOf = new HashMap<>();
        brokers.forEach(b -> rackOf.put(b.brokerId(), b.rack()));
        for (int start = 0; start < brokers.size(); start++) {
            Map<Integer, List<Integer>> a = ReplicaAssigner.assign(12, 3, brokers, start);
            assertShape(a, 12, 3);
            assertSpread(a, 6, 12, 3, "rack-aware start=" + start);
            a.forEach((p, replicas) -> assertEquals(3, replicas.stream().map(rackOf::get).distinct().count(),
                    "partition " + p + " replicas " + replicas + " must use all three racks"));
        }
    }

    @Test
    void moreReplicasThanRacksStillCoverEveryRack() {
        List<BrokerRegistration> brokers = brokers("a", "a", "b", "b");
        Map<Integer, String> rackOf = new HashMap<>();
        brokers.forEach(b -> rackOf.put(b.brokerId(), b.rack()));
        Map<Integer, List<Integer>> a = ReplicaAssigner.assign(8, 3, brokers, 0);
        assertShape(a, 8, 3);
        a.forEach((p, replicas) -> {
            assertEquals(Set.of("a", "b"), new HashSet<>(replicas.stream().map(rackOf::get).toList()), "partition " + p);
            assertTrue(!rackOf.get(replicas.get(0)).equals(rackOf.get(replicas.get(1))),
                    "leader and first follower on different racks: " + replicas);
        });
    }

    @Test
    void unevenRacksStillGiveDistinctBrokers() {
        Map<Integer, List<Integer>> a = ReplicaAssigner.assign(10, 3, brokers("a", "a", "a", "b"), 0);
        assertShape(a, 10, 3);
    }

    @Test
    void refusesBadCountsWithTheValues() {
        var rf = assertThrows(InvalidReplicationFactorException.class, () -> ReplicaAssigner.assign(1, 4, noRacks(3), 0));
        assertEquals("replication factor 4 is larger than the 3 live brokers [1, 2, 3]", rf.getMessage());
        assertEquals(38, rf.errorCode());
        var zero = assertThrows(InvalidReplicationFactorException.class, () -> ReplicaAssigner.assign(1, 0, noRacks(3), 0));
        assertTrue(zero.getMessage().contains("got: 0"), zero.getMessage());
        var parts = assertThrows(InvalidPartitionsException.class, () -> ReplicaAssigner.assign(0, 1, noRacks(3), 0));
        assertEquals("number of partitions must be at least 1, got: 0", parts.getMessage());
        assertEquals(37, parts.errorCode());
        assertThrows(InvalidReplicationFactorException.class, () -> ReplicaAssigner.assign(1, 1, List.of(), 0));
    }

    @Test
    void negativeStartIndexPicksARandomButValidStart() {
        Map<Integer, List<Integer>> a = ReplicaAssigner.assign(9, 2, noRacks(3), -1);
        assertShape(a, 9, 2);
        assertSpread(a, 3, 9, 2, "random start");
    }

    private static void assertShape(Map<Integer, List<Integer>> a, int partitions, int rf) {
        assertEquals(IntStream.range(0, partitions).boxed().toList(), List.copyOf(a.keySet()));
        a.forEach((p, replicas) -> {
            assertEquals(rf, replicas.size(), "partition " + p + ": " + replicas);
            assertEquals(rf, new HashSet<>(replicas).size(), "no broker twice in partition " + p + ": " + replicas);
        });
    }

    private static void assertSpread(Map<Integer, List<Integer>> a, int brokers, int partitions, int rf, String label) {
        int[] leaders = new int[brokers + 1];
        int[] replicas = new int[brokers + 1];
        a.values().forEach(list -> {
            leaders[list.get(0)]++;
            list.forEach(b -> replicas[b]++);
        });
        int minLeaders = IntStream.rangeClosed(1, brokers).map(b -> leaders[b]).min().orElseThrow();
        int maxLeaders = IntStream.rangeClosed(1, brokers).map(b -> leaders[b]).max().orElseThrow();
        assertTrue(maxLeaders - minLeaders <= 1, label + ": leaders per broker differ by more than 1: " + a);
        if (partitions % brokers == 0) {
            int min = IntStream.rangeClosed(1, brokers).map(b -> replicas[b]).min().orElseThrow();
            int max = IntStream.rangeClosed(1, brokers).map(b -> replicas[b]).max().orElseThrow();
            assertEquals(min, max, label + ": replicas per broker must be equal: " + a);
        }
    }
}
