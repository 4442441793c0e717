package io.tributary.client.producer;

/** Chooses partitions (shell). */
public final class Partitioner {
    public static int partitionForKey(byte[] serializedKey, int numPartitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
