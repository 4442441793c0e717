package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The sparse {@code .timeindex} of a segment (KIP-33): (largest timestamp so far, relative base offset of the
 * batch that holds it), appended alongside offset index entries and only when the timestamp grows, so
 * timestamps are strictly increasing. 12 bytes per entry on disk.
 */
final class TimeIndex extends IndexFile {
    static final int ENTRY_SIZE = 12;

    private volatile long[] timestamps = new long[16];
    private volatile int[] relOffsets = new int[16];

    TimeIndex(Path file) throws IOException {
        super(file, ENTRY_SIZE);
    }

    /** Appends unless the timestamp does not exceed the last entry's: entries stay strictly increasing. */
    void maybeAppend(long timestamp, int relOffset) {
        int n = count;
        if (n > 0 && (timestamp <= timestamps[n - 1] || relOffset < relOffsets[n - 1])) {
            return;
        }
        ensureCapacity(n + 1);
        timestamps[n] = timestamp;
        relOffsets[n] = relOffset;
        count = n + 1;
    }

    /** Relative offset of the last entry whose timestamp is below {@code timestamp}, or -1 when none is. */
    int lookupBefore(long timestamp) {
        int n = count;
        long[] ts = timestamps;
        int[] rel = relOffsets;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? -1 : rel[found];
    }

    long lastTimestamp() {
        int n = count;
        return n == 0 ? -1 : timestamps[n - 1];
    }

    int lastRelOffset() {
        int n = count;
        return n == 0 ? -1 : relOffsets[n - 1];
    }

    /** Number of entries whose relative offset is below {@code relOffset}. */
    int entriesBelow(long relOffset) {
        int n = count; // before the array: see IndexFile on publication order
        return countBelow(relOffsets, n, relOffset);
    }

    @Override
    protected void ensureCapacity(int n) {
        if (n > timestamps.length) {
            int size = Math.max(n, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, size);
            relOffsets = Arrays.copyOf(relOffsets, size);
        }
    }

    @Override
    protected boolean acceptEntry(ByteBuffer buf, int i) {
        long ts = buf.getLong();
        int rel = buf.getInt();
        if (rel < 0 || (i > 0 && (ts <= timestamps[i - 1] || rel < relOffsets[i - 1]))) {
            return false;
        }
        timestamps[i] = ts;
        relOffsets[i] = rel;
        return true;
    }

    @Override
    protected void writeEntry(ByteBuffer buf, int i) {
        buf.putLong(timestamps[i]).putInt(relOffsets[i]);
    }
}
