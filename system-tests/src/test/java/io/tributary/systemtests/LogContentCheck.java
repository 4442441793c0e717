package io.tributary.systemtests;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a full read of a topic against what the producers were told: per partition, offsets come
 * 0, 1, 2, ... with no gap or repeat up to the end offset; every record is a known numbered record, read
 * at most once, with the key, value, timestamp and headers it was sent with; every acknowledged record is
 * read, at the partition and offset its acknowledgement named. A record whose send failed (outcome unknown)
 * may be there or not, but at most once; a record neither acknowledged nor failed must not be there. Feed
 * records in the order a consumer returns them (per partition in offset order), then call
 * {@link #assertComplete}.
 *
 * <p>{@link #allowLoss} names sources whose acknowledged records may be missing (acks=1 writes to a leader
 * that was then replaced); a record of such a source that is there must still be at its acknowledged place.
 */
public final class LogContentCheck {

    private final String reader;
    private final Map<String, AckLedger> ledgers;
    private final long baseTimestamp;
    private final int valueBytes;
    private final long[] nextOffset;
    private final Map<String, BitSet> seen = new HashMap<>();
    private final Set<String> lossAllowed = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private long read;
    private long duplicates;
    private long misplaced;
    private long unacknowledgedRead;
    private long lost;
    private long lostAllowed;

    public LogContentCheck(String reader, Map<String, AckLedger> ledgers, int partitions, long baseTimestamp, int valueBytes) {
        this.reader = reader;
        this.ledgers = ledgers;
        this.baseTimestamp = baseTimestamp;
        this.valueBytes = valueBytes;
        this.nextOffset = new long[partitions];
        ledgers.keySet().forEach(s -> seen.put(s, new BitSet()));
    }

    /** Acknowledged records of {@code source} may be missing (counted in {@link #lostAllowed()}), not misplaced. */
    public LogContentCheck allowLoss(String source) {
        if (!ledgers.containsKey(source)) {
            throw new IllegalArgumentException("no ledger for source " + source);
        }
        lossAllowed.add(source);
        return this;
    }

    public void accept(ConsumedRecord r) {
        read++;
        if (r.offset() != nextOffset[r.partition()]) {
            problem("partition " + r.partition() + ": expected offset " + nextOffset[r.partition()] + " next but read " + r.offset());
        }
        nextOffset[r.partition()] = r.offset() + 1;
        for (Map.Entry<String, AckLedger> e : ledgers.entrySet()) {
            int index = NumberedRecord.indexIn(e.getKey(), r.value());
            if (index < 0) {
                continue;
            }
            AckLedger ledger = e.getValue();
            if (index >= ledger.size()) {
                problem("unknown record " + e.getKey() + ":" + index + " at " + r.partition() + "/" + r.offset());
                return;
            }
            if (seen.get(e.getKey()).get(index)) {
                duplicates++;
                problem("duplicate of " + e.getKey() + ":" + index + " at " + r.partition() + "/" + r.offset());
            }
            seen.get(e.getKey()).set(index);
            if (ledger.isAcked(index)) {
                if (ledger.partitionOf(index) != r.partition() || ledger.offsetOf(index) != r.offset()) {
                    misplaced++;
                    problem(e.getKey() + ":" + index + " read at " + r.partition() + "/" + r.offset()
                            + " but acknowledged at " + ledger.partitionOf(index) + "/" + ledger.offsetOf(index));
                }
            } else if (ledger.sendFailed(index)) {
                unacknowledgedRead++; // the client gave up on it, but the broker may well have written it
            } else {
                problem(e.getKey() + ":" + index + " read at " + r.partition() + "/" + r.offset()
                        + " but it was neither acknowledged nor failed (never sent, or still pending)");
            }
            String diff = r.differenceFrom(NumberedRecord.of(e.getKey(), index, baseTimestamp, valueBytes));
            if (diff != null) {
                problem(diff);
            }
            return;
        }
        problem("record of no known source at " + r.partition() + "/" + r.offset() + ": value '" + r.value() + "'");
    }

    /** The offset after the last record read from {@code partition}. */
    public long position(int partition) {
        return nextOffset[partition];
    }

    public long recordsRead() {
        return read;
    }

    /** Records read more than once (so far). */
    public long duplicates() {
        return duplicates;
    }

    /** Acknowledged records read at another partition or offset than acknowledged (so far). */
    public long misplaced() {
        return misplaced;
    }

    /** Records whose send failed but which were read (allowed: their outcome was unknown). */
    public long unacknowledgedRead() {
        return unacknowledgedRead;
    }

    /** Acknowledged records never read, of sources where that is a failure; known after {@link #assertComplete}. */
    public long lost() {
        return lost;
    }

    /** Acknowledged records never read, of sources named in {@link #allowLoss}; known after {@link #assertComplete}. */
    public long lostAllowed() {
        return lostAllowed;
    }

    /** Fails unless every partition was read to {@code endOffsets} and every acknowledged record was seen. */
    public void assertComplete(Map<Integer, Long> endOffsets) {
        String failure = complete(endOffsets);
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    /**
     * Like {@link #assertComplete} but returns the failure text (null when all is well), so a caller can
     * print the counts ({@link #lost()}, ...) before failing.
     */
    public String complete(Map<Integer, Long> endOffsets) {
        for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
            if (nextOffset[e.getKey()] != e.getValue()) {
                problem("partition " + e.getKey() + " read up to " + nextOffset[e.getKey()] + " but its end offset is " + e.getValue());
            }
        }
        lost = 0;
        lostAllowed = 0;
        for (Map.Entry<String, AckLedger> e : ledgers.entrySet()) {
            AckLedger ledger = e.getValue();
            BitSet bits = seen.get(e.getKey());
            for (int i = 0; i < ledger.size(); i++) {
                if (ledger.isAcked(i) && !bits.get(i)) {
                    if (lossAllowed.contains(e.getKey())) {
                        lostAllowed++;
                    } else {
                        lost++;
                        problem("acknowledged record " + e.getKey() + ":" + i + " (at " + ledger.partitionOf(i) + "/"
                                + ledger.offsetOf(i) + ") was not read");
                    }
                }
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return reader + " found " + problems.size() + " problem(s) (first 20 shown):\n  "
                + String.join("\n  ", problems.subList(0, Math.min(20, problems.size())));
    }

    private void problem(String text) {
        if (problems.size() < 1000) {
            problems.add(text);
        }
    }
}
