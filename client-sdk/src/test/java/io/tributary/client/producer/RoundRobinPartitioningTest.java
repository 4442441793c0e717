package io.tributary.client.producer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundRobinPartitioningTest {

    @Test
    void unkeyedRecordsCycleThroughEveryPartitionEvenly() {
        Partitioner partitioner = new Partitioner();
        List<Integer> all = List.of(0, 1, 2, 3, 4);
        int[] counts = new int[5];
        List<Integer> firstTen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int p = partitioner.partition("orders", null, 5, all);
            counts[p]++;
            if (i < 10) {
                firstTen.add(p);
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), firstTen);
        for (int c : counts) {
            assertEquals(200, c);
        }
    }

    @Test
    void eachTopicHasItsOwnCounter() {
        Partitioner partitioner = new Partitioner();
        List<Integer> all = List.of(0, 1, 2);
        assertEquals(0, partitioner.partition("a", null, 3, all));
        assertEquals(1, partitioner.partition("a", null, 3, all));
        assertEquals(0, partitioner.partition("b", null, 3, all));
        assertEquals(2, partitioner.partition("a", null, 3, all));
    }

    @Test
    void partitionsWithoutLeaderAreSkippedWhileOthersAreAvailable() {
        Partitioner partitioner = new Partitioner();
        List<Integer> available = List.of(0, 2, 3); // partition 1 has no leader
        int[] counts = new int[4];
        for (int i = 0; i < 300; i++) {
            counts[partitioner.partition("t", null, 4, available)]++;
        }
        assertEquals(100, counts[0]);
        assertEquals(0, counts[1]);
        assertEquals(100, counts[2]);
        assertEquals(100, counts[3]);
    }

    @Test
    void withNoLeaderAnywhereAllPartitionsStillShareRecords() {
        Partitioner partitioner = new Partitioner();
        int[] counts = new int[3];
        for (int i = 0; i < 30; i++) {
            counts[partitioner.partition("t", null, 3, List.of())]++;
        }
        assertEquals(10, counts[0]);
        assertEquals(10, counts[1]);
        assertEquals(10, counts[2]);
    }

    @Test
    void aKeyAlwaysWinsOverRoundRobin() {
        Partitioner partitioner = new Partitioner();
        byte[] key = "user-7".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int expected = Partitioner.partitionForKey(key, 6);
        for (int i = 0; i < 10; i++) {
            assertEquals(expected, partitioner.partition("t", key, 6, List.of(0, 1, 2, 3, 4, 5)));
        }
    }
}
