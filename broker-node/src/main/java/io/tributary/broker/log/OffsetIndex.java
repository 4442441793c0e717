package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The sparse {@code .index} of a segment: (base offset of a batch relative to the segment, its file position),
 * one entry per {@code index.interval.bytes} of log, as Kafka's offset index. 8 bytes per entry on disk.
 */
final class OffsetIndex extends IndexFile {
    static final int ENTRY_SIZE = 8;

    private volatile int[] relOffsets = new int[16];
    private volatile int[] positions = new int[16];
    private int logSizeBound = Integer.MAX_VALUE;

    OffsetIndex(Path file) throws IOException {
        super(file, ENTRY_SIZE);
    }

    /** Loads the file, refusing entries that point at or past {@code logSize} (a stale index after a crash). */
    boolean load(int logSize) throws IOException {
        logSizeBound = logSize;
        try {
            return load();
        } finally {
            logSizeBound = Integer.MAX_VALUE;
        }
    }

    void append(int relOffset, int position) {
        int n = count;
        ensureCapacity(n + 1);
        relOffsets[n] = relOffset;
        positions[n] = position;
        count = n + 1;
    }

    /** File position of the last indexed batch whose relative base offset is <= {@code targetRel}, else 0. */
    int lookup(long targetRel) {
        int n = count;
        int[] rel = relOffsets;
        int[] pos = positions;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (rel[mid] <= targetRel) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : pos[found];
    }

    int relOffsetAt(int i) {
        return relOffsets[i];
    }

    int positionAt(int i) {
        return positions[i];
    }

    /** Number of entries whose position is below {@code position}: the entries that survive a truncation there. */
    int entriesBefore(int position) {
        int n = count; // before the array: see IndexFile on publication order
        return countBelow(positions, n, position);
    }

    @Override
    protected void ensureCapacity(int n) {
        if (n > relOffsets.length) {
            int size = Math.max(n, relOffsets.length * 2);
            // New arrays are published before the count that covers the new slot (count is written last).
            relOffsets = Arrays.copyOf(relOffsets, size);
            positions = Arrays.copyOf(positions, size);
        }
    }

    @Override
    protected boolean acceptEntry(ByteBuffer buf, int i) {
        int rel = buf.getInt();
        int pos = buf.getInt();
        if (rel < 0 || pos < 0 || pos >= logSizeBound) {
            return false;
        }
        if (i > 0 && (rel <= relOffsets[i - 1] || pos <= positions[i - 1])) {
            return false;
        }
        relOffsets[i] = rel;
        positions[i] = pos;
        return true;
    }

    @Override
    protected void writeEntry(ByteBuffer buf, int i) {
        buf.putInt(relOffsets[i]).putInt(positions[i]);
    }
}
