package io.tributary.client.producer;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acceptance test: a key lands on the same partition as with Kafka's own default partitioner, so
 * Tributary and Kafka producers can share keyed topics.
 */
class PartitionerCompatibilityTest {
    private static final int KEYS = 10_000;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 12, 50, 100})
    void keyedPartitionMatchesKafkaForRandomKeys(int numPartitions) {
        Random random = new Random(42L + numPartitions);
        for (int i = 0; i < KEYS; i++) {
            // Lengths 0..40 cover every murmur2 tail length (0-3 leftover bytes) and multi-block keys.
            byte[] key = new byte[random.nextInt(41)];
            random.nextBytes(key);
            int expected = Utils.toPositive(Utils.murmur2(key)) % numPartitions;
            int actual = Partitioner.partitionForKey(key, numPartitions);
            assertEquals(expected, actual, () -> "key " + java.util.HexFormat.of().formatHex(key) + " with " + numPartitions + " partitions");
            assertEquals(BuiltInPartitioner.partitionForKey(key, numPartitions), actual);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 12, 50, 100})
    void rawHashMatchesKafkaIncludingNegativeHashes(int seed) {
        Random random = new Random(seed);
        int negatives = 0;
        for (int i = 0; i < KEYS; i++) {
            byte[] key = new byte[random.nextInt(41)];
            random.nextBytes(key);
            int kafka = Utils.murmur2(key);
            assertEquals(kafka, Murmur2.hash(key));
            if (kafka < 0) {
                negatives++;
            }
        }
        // toPositive must be exercised on negative hashes, or a Math.abs bug would go unnoticed.
        org.junit.jupiter.api.Assertions.assertTrue(negatives > 1000, "negative hashes seen: " + negatives);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "ab", "abc", "abcd", "order-17", "customer:00042"})
    void stringKeysMatchKafka(String key) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Utils.toPositive(Utils.murmur2(bytes)) % 12, Partitioner.partitionForKey(bytes, 12));
    }
}
