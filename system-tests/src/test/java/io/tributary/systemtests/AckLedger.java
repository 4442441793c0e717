package io.tributary.systemtests;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the broker said each numbered record of one source landed (partition, offset), filled in from
 * producer callbacks on the clients' I/O threads. A record never acknowledged keeps partition -1; one whose
 * send failed is marked as such (its outcome is unknown: it may or may not have been written).
 */
public final class AckLedger {

    private final String source;
    private final int[] partitions;
    private final long[] offsets;
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final BitSet failedSends = new BitSet();
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
                problem(index, "acknowledged twice: at " + partitions[index] + "/" + offsets[index] + " and " + partition + "/" + offset);
                return;
            }
            partitions[index] = partition;
            offsets[index] = offset;
        }
        acked.incrementAndGet();
    }

    /** The send of record {@code index} failed: the client gave up on it (it may still have been written). */
    public void fail(int index, String why) {
        synchronized (this) {
            failedSends.set(index);
        }
        problem(index, why);
    }

    private void problem(int index, String why) {
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

    /** Whether the send of record {@code index} failed (see {@link #fail}). */
    public synchronized boolean sendFailed(int index) {
        return failedSends.get(index);
    }

    public synchronized int partitionOf(int index) {
        return partitions[index];
    }

    public synchronized long offsetOf(int index) {
        return offsets[index];
    }

    /** Empty when every record was acknowledged exactly once, else what went wrong (first ten failures). */
    public String problems() {
        return problems(partitions.length);
    }

    /**
     * Empty when the first {@code sent} records (those a test actually sent) were all acknowledged exactly once
     * and nothing failed, else what went wrong (first ten failures).
     */
    public String problems(int sent) {
        if (failed.get() == 0 && acked.get() == sent) {
            return "";
        }
        return source + ": " + acked.get() + " of " + sent + " acknowledged, " + failed.get()
                + " failed; first failures: " + firstFailures;
    }
}
