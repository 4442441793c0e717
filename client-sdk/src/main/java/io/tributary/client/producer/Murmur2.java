package io.tributary.client.producer;

/**
 * 32-bit MurmurHash2 (Austin Appleby's algorithm) with the seed Kafka's default partitioner uses, so
 * a key hashes to the same partition as in any Kafka client. Little-endian 4-byte blocks; the 1-3 byte
 * tail is mixed in before the final avalanche.
 */
final class Murmur2 {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int blocks = length >>> 2;
        for (int block = 0; block < blocks; block++) {
            int at = block << 2;
            int k = (data[at] & 0xff)
                    | (data[at + 1] & 0xff) << 8
                    | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = blocks << 2;
        int remaining = length & 3;
        if (remaining > 0) {
            if (remaining == 3) {
                h ^= (data[tail + 2] & 0xff) << 16;
            }
            if (remaining >= 2) {
                h ^= (data[tail + 1] & 0xff) << 8;
            }
            h ^= data[tail] & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }
}
