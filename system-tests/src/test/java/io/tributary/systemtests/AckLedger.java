package io.tributary.systemtests;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the broker said each numbered record of one source landed (partition, offset), filled in from
 * producer callbacks on the clients' I/O threads. A record never acknowledged keeps partition -1.
 */
public final class AckLedger {

    private final String source;
    private final int[] partitions;
    private final long[] offsets;
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Queue<String> firstFailures = new ConcurrentLinkedQueue<>();

    public AckLedger(String source, int records) {
        this.source = source;
        this.partitions = new int[records];
        this.offsets = new long[records];
        Arrays.fill(partitions, -1);
        Arrays.fill(offsets, -1);
    }

    public String source() {
        return source;
    }

    public int size() {
        return partitions.length;
    }

    public void acked(int index, int partition, long offset) {
        synchronized (this) {
            if (partitions[index] != -1) {
                fail(index, "acknowledged twice: at " + partitions[index] + "/" + offsets[index] + " and " + partition + "/" + offset);
                return;
            }
            partitions[index] = partition;
            offsets[index] = offset;
        }
        acked.incrementAndGet();
    }

    public void fail(int index, String why) {
        failed.incrementAndGet();
        if (firstFailures.size() < 10) {
            firstFailures.add(source + " record " + index + ": " + why);
        }
    }

    public int ackedCount() {
        return acked.get();
    }

    public int failedCount() {
        return failed.get();
    }

    public boolean isAcked(int index) {
        synchronized (this) {
            return partitions[index] != -1;
        }
    }

    public synchronized int partitionOf(int index) {
        return partitions[index];
    }

    public synchronized long offsetOf(int index) {
        return offsets[index];
    }

    /** Empty when every record was acknowledged exactly once, else what went wrong (first ten failures). */
    public String problems() {
        if (failed.get() == 0 && acked.get() == partitions.length) {
            return "";
        }
        return source + ": " + acked.get() + " of " + partitions.length + " acknowledged, " + failed.get()
                + " failed; first failures: " + firstFailures;
    }
}
