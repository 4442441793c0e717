package io.tributary.systemtests;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a full read of a topic against what the producers were told: per partition, offsets come
 * 0, 1, 2, ... with no gap or repeat up to the end offset; every record is a known numbered record, read
 * exactly once, at the partition and offset its acknowledgement named, with the key, value, timestamp and
 * headers it was sent with. Feed records in the order a consumer returns them (per partition in offset
 * order), then call {@link #assertComplete()}.
 */
public final class LogContentCheck {

    private final String reader;
    private final Map<String, AckLedger> ledgers;
    private final long baseTimestamp;
    private final int valueBytes;
    private final long[] nextOffset;
    private final Map<String, BitSet> seen = new java.util.HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long read;

    public LogContentCheck(String reader, Map<String, AckLedger> ledgers, int partitions, long baseTimestamp, int valueBytes) {
        this.reader = reader;
        this.ledgers = ledgers;
        this.baseTimestamp = baseTimestamp;
        this.valueBytes = valueBytes;
        this.nextOffset = new long[partitions];
        ledgers.keySet().forEach(s -> seen.put(s, new BitSet()));
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
                problem("duplicate of " + e.getKey() + ":" + index + " at " + r.partition() + "/" + r.offset());
            }
            seen.get(e.getKey()).set(index);
            if (ledger.partitionOf(index) != r.partition() || ledger.offsetOf(index) != r.offset()) {
                problem(e.getKey() + ":" + index + " read at " + r.partition() + "/" + r.offset()
                        + " but acknowledged at " + ledger.partitionOf(index) + "/" + ledger.offsetOf(index));
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

    /** Fails unless every partition was read to {@code endOffsets} and every acknowledged record was seen. */
    public void assertComplete(Map<Integer, Long> endOffsets) {
        for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
            if (nextOffset[e.getKey()] != e.getValue()) {
                problem("partition " + e.getKey() + " read up to " + nextOffset[e.getKey()] + " but its end offset is " + e.getValue());
            }
        }
        long expectedTotal = 0;
        for (Map.Entry<String, AckLedger> e : ledgers.entrySet()) {
            AckLedger ledger = e.getValue();
            BitSet bits = seen.get(e.getKey());
            for (int i = 0; i < ledger.size(); i++) {
                if (ledger.isAcked(i)) {
                    expectedTotal++;
                    if (!bits.get(i)) {
                        problem("acknowledged record " + e.getKey() + ":" + i + " (at " + ledger.partitionOf(i) + "/"
                                + ledger.offsetOf(i) + ") was not read");
                    }
                }
            }
        }
        if (read != expectedTotal) {
            problem("read " + read + " records but " + expectedTotal + " were acknowledged");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(reader + " found " + problems.size() + " problem(s) (first 20 shown):\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
    }

    private void problem(String text) {
        if (problems.size() < 1000) {
            problems.add(text);
        }
    }
}
