package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Key -> latest offset over the dirty part of a log, for one cleaning. Keys are stored as their MD5 digest
 * (16 bytes) next to the offset, 24 bytes a slot in flat arrays with linear probing, so the memory a cleaner
 * thread uses is bounded by {@code log.cleaner.dedupe.buffer.size} whatever the key sizes, as Kafka's
 * SkimpyOffsetMap. Two keys with the same MD5 would be merged; that is the accepted trade-off.
 *
 * <p>Not thread-safe: one per cleaning.
 */
final class OffsetMap {
    /** Bytes a slot costs: two longs of digest and one of offset. */
    static final int BYTES_PER_ENTRY = 24;
    /** Kafka's log.cleaner.io.buffer.load.factor: fill the table to this share at most. */
    static final double LOAD_FACTOR = 0.9;

    private final long[] digestHigh;
    private final long[] digestLow;
    private final long[] offsets;
    private final boolean[] used;
    private final MessageDigest md5;
    private int size;
    private long latestOffset = -1;

    /** A map for at most {@code maxEntries} keys. */
    OffsetMap(int maxEntries) {
        int slots = Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(maxEntries / LOAD_FACTOR) + 1));
        digestHigh = new long[slots];
        digestLow = new long[slots];
        offsets = new long[slots];
        used = new boolean[slots];
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    /** How many keys a map of {@code bufferBytes} holds at its load factor. */
    static int capacityFor(long bufferBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 16, (long) (bufferBytes / BYTES_PER_ENTRY * LOAD_FACTOR));
    }

    /** Keys the table can take before it passes its load factor. */
    int capacity() {
        return (int) (offsets.length * LOAD_FACTOR);
    }

    int size() {
        return size;
    }

    /** The largest offset put, -1 when none was. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records {@code offset} as the latest for {@code key}; offsets come in increasing order. */
    void put(ByteBuffer key, long offset) {
        if (size >= capacity()) {
            throw new IllegalStateException("offset map is full at " + size + " keys");
        }
        digest(key);
        int slot = find();
        if (!used[slot]) {
            used[slot] = true;
            digestHigh[slot] = high;
            digestLow[slot] = low;
            size++;
        }
        offsets[slot] = offset;
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset recorded for {@code key}, -1 when the key is not in the map. */
    long get(ByteBuffer key) {
        digest(key);
        int slot = find();
        return used[slot] ? offsets[slot] : -1;
    }

    private long high;
    private long low;

    private void digest(ByteBuffer key) {
        md5.update(key.duplicate());
        byte[] d = md5.digest();
        ByteBuffer b = ByteBuffer.wrap(d);
        high = b.getLong();
        low = b.getLong();
    }

    /** The slot holding the current digest, or the empty slot where it belongs. */
    private int find() {
        int n = offsets.length;
        int slot = (int) ((high ^ (high >>> 32)) & 0x7fffffff) % n;
        while (used[slot] && (digestHigh[slot] != high || digestLow[slot] != low)) {
            slot = slot + 1 == n ? 0 : slot + 1;
        }
        return slot;
    }
}
