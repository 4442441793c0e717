package io.tributary.systemtests;

import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.ReplicaLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares the on-disk replicas of a partition across brokers ({@link ReplicaLog}). */
final class Replicas {

    private Replicas() {
    }

    /**
     * What is wrong with the replicas of {@code topic}-{@code partition} on {@code brokers} below offset
     * {@code upTo} (a high watermark): each must hold every offset below it in whole, CRC-valid, gap-free batches,
     * and all must be byte-identical there (batch bytes, hence offsets, leader epochs and records). Empty when
     * all is well.
     */
    static List<String> differencesBelow(ClusterProcesses c, String topic, int partition, long upTo, Collection<Integer> brokers) {
        List<String> problems = new ArrayList<>();
        Integer first = null;
        ReplicaLog reference = null;
        for (int id : brokers) {
            ReplicaLog replica = ReplicaLog.read(c.replicaDir(id, topic, partition));
            problems.addAll(replica.selfProblems());
            if (replica.logEndOffset() < upTo) {
                problems.add("broker " + id + "'s replica of " + topic + "-" + partition + " ends at " + replica.logEndOffset()
                        + ", below the high watermark " + upTo);
            }
            if (reference == null) {
                first = id;
                reference = replica;
            } else {
                String difference = reference.firstDifferenceBelow(upTo, replica);
                if (difference != null) {
                    problems.add(topic + "-" + partition + " below " + upTo + ", brokers " + first + " and " + id + ": " + difference);
                }
            }
        }
        return problems;
    }

    /** Broker id -> log end offset of its replica of {@code topic}-{@code partition}, read from its segment files. */
    static Map<Integer, Long> logEndOffsets(ClusterProcesses c, String topic, int partition, Collection<Integer> brokers) {
        Map<Integer, Long> ends = new TreeMap<>();
        for (int id : brokers) {
            ends.put(id, ReplicaLog.logEndOffsetOf(c.replicaDir(id, topic, partition)));
        }
        return ends;
    }

    /**
     * Waits (bounded; no writes may be going on) until every replica of each partition has reached
     * {@code endOffsets} (the high watermarks) on disk; returns false if one has not within {@code atMost}.
     */
    static boolean awaitReplicasReach(ClusterProcesses c, String topic, Map<Integer, Long> endOffsets, Collection<Integer> brokers,
                                      Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            boolean all = true;
            for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
                for (long end : logEndOffsets(c, topic, e.getKey(), brokers).values()) {
                    all &= end >= e.getValue();
                }
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
