package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file half of a sparse index: fixed-size big-endian entries, appended in memory first and written
 * in one positional write per append request. Subclasses keep the entries in primitive arrays so that
 * lookups from reader threads need no lock: they read {@link #count} (volatile) before the arrays, and the
 * single writer fills an entry before publishing the new count.
 */
abstract class IndexFile {
    private final Path file;
    private final FileChannel channel;
    private final int entrySize;
    /** Entries visible to readers; written only by the log's writer after the entry's fields. */
    protected volatile int count;
    private int persisted;

    IndexFile(Path file, int entrySize) throws IOException {
        this.file = file;
        this.entrySize = entrySize;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    Path file() {
        return file;
    }

    int entries() {
        return count;
    }

    /**
     * Reads the file's entries. Returns false (and leaves the index empty) when the file is not a
     * whole number of entries or {@link #acceptEntry} refuses one, so the caller rebuilds it from the log.
     */
    boolean load() throws IOException {
        long size = channel.size();
        if (size % entrySize != 0 || size / entrySize > Integer.MAX_VALUE) {
            return false;
        }
        int n = (int) (size / entrySize);
        ByteBuffer buf = ByteBuffer.allocate(n * entrySize);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                return false;
            }
        }
        buf.flip();
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            if (!acceptEntry(buf, i)) {
                clearInMemory();
                return false;
            }
            count = i + 1;
        }
        persisted = n;
        return true;
    }

    /** Writes the entries added since the last call, in one write. */
    void persistPending() throws IOException {
        int n = count;
        if (persisted >= n) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((n - persisted) * entrySize);
        for (int i = persisted; i < n; i++) {
            writeEntry(buf, i);
        }
        buf.flip();
        long position = (long) persisted * entrySize;
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
        persisted = n;
    }

    /**
     * Keeps the first {@code n} entries, in memory and on disk. The file is cut even when memory holds no more
     * than {@code n}: after a refused {@link #load} the file still has the entries memory dropped.
     */
    void truncateToEntries(int n) throws IOException {
        if (n >= count && channel.size() <= (long) n * entrySize) {
            return;
        }
        count = Math.min(count, n);
        persisted = Math.min(persisted, count);
        channel.truncate((long) count * entrySize);
    }

    void flush() throws IOException {
        persistPending();
        channel.force(true);
    }

    void close() throws IOException {
        channel.close();
    }

    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    private void clearInMemory() {
        count = 0;
        persisted = 0;
    }

    /** Grows the arrays to hold at least {@code n} entries, publishing the new arrays before any count uses them. */
    protected abstract void ensureCapacity(int n);

    /** Decodes entry {@code i} from {@code buf} at its position; false if it breaks the index's ordering. */
    protected abstract boolean acceptEntry(ByteBuffer buf, int i);

    protected abstract void writeEntry(ByteBuffer buf, int i);

    /** How many of the first {@code n} values of an ascending array are below {@code key} (binary search). */
    static int countBelow(int[] ascending, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
