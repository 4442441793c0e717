package io.tributary.client.producer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the partition for a record that does not name one.
 * <ul>
 *   <li>With a key: {@code toPositive(murmur2(key)) % numPartitions}, exactly Kafka's default
 *       partitioner, so the same key lands on the same partition whichever client wrote it.</li>
 *   <li>Without a key: round-robin per record over the topic's partitions, one counter per topic.
 *       This is deliberately NOT Kafka 3.x's "sticky" partitioning (KIP-480/KIP-794), which fills one
 *       partition's batch before moving on: we want every unkeyed record spread evenly. Partitions that
 *       currently have a leader are preferred, so records do not queue behind a dead leader while other
 *       partitions can take them.</li>
 * </ul>
 */
public final class Partitioner {
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    /** Kafka's default partition for a serialized key. */
    public static int partitionForKey(byte[] serializedKey, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be positive but was " + numPartitions);
        }
        return toPositive(Murmur2.hash(serializedKey)) % numPartitions;
    }

    /**
     * Kafka's toPositive: clears the sign bit rather than Math.abs, which would leave Integer.MIN_VALUE
     * negative. Keeping Kafka's exact mapping is what makes partitions match.
     */
    static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /**
     * @param availablePartitions partitions of the topic that have a leader now (may be empty)
     */
    public int partition(String topic, byte[] serializedKey, int numPartitions, List<Integer> availablePartitions) {
        if (serializedKey != null) {
            return partitionForKey(serializedKey, numPartitions);
        }
        int next = toPositive(counters.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement());
        if (!availablePartitions.isEmpty()) {
            return availablePartitions.get(next % availablePartitions.size());
        }
        return next % numPartitions;
    }
}
