package io.tributary.cli.demo;

import java.util.BitSet;

/**
 * What became of every record the failover demo sent, by sequence number: acknowledged, failed, or
 * still unresolved, and how often the consumer saw it. Lost records are the ones the cluster
 * acknowledged and the consumer never saw: with acks=all and min.insync.replicas=2 a single broker
 * failure must leave that at zero. Thread-safe (producer callbacks and the consumer thread write it).
 */
public final class DeliveryLedger {
    private final BitSet acked = new BitSet();
    private final BitSet failed = new BitSet();
    private final BitSet consumed = new BitSet();
    private long sent;
    private long duplicates;
    private long foreign;

    /** Returns the sequence number of the next record. */
    public synchronized long nextSent() {
        return sent++;
    }

    public synchronized void acked(long seq) {
        acked.set(index(seq));
    }

    public synchronized void failed(long seq) {
        failed.set(index(seq));
    }

    /** A record the consumer read; a sequence number it already saw counts as a duplicate. */
    public synchronized void consumed(long seq) {
        if (seq < 0 || seq >= sent) {
            foreign++; // not sent by this run (or not yet counted as sent): counted, never matched
            return;
        }
        int i = index(seq);
        if (consumed.get(i)) {
            duplicates++;
        } else {
            consumed.set(i);
        }
    }

    public synchronized Summary summary() {
        BitSet lost = (BitSet) acked.clone();
        lost.andNot(consumed);
        BitSet unacknowledgedButStored = (BitSet) consumed.clone();
        unacknowledgedButStored.andNot(acked);
        return new Summary(sent, acked.cardinality(), failed.cardinality(), consumed.cardinality(), lost.cardinality(),
                duplicates, unacknowledgedButStored.cardinality(), foreign, lost.nextSetBit(0));
    }

    /** True once every acknowledged record has been consumed. */
    public synchronized boolean allAckedConsumed() {
        BitSet lost = (BitSet) acked.clone();
        lost.andNot(consumed);
        return lost.isEmpty();
    }

    private static int index(long seq) {
        return Math.toIntExact(seq);
    }

    /**
     * @param firstLost the smallest lost sequence number, -1 if none
     * @param consumedUnacknowledged records the consumer saw whose send did not (yet) report success, e.g.
     *                               written by a leader that died before answering
     */
    public record Summary(long sent, long acknowledged, long failed, long consumed, long lost, long duplicates,
                          long consumedUnacknowledged, long foreign, long firstLost) {
        public long unresolved() {
            return sent - acknowledged - failed;
        }
    }
}
