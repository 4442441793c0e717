package io.tributary.broker.group;

import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.replica.Partition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays an offsets partition from its log start to its log end: the latest record per key wins, a tombstone
 * deletes. Reads to the log end, not the high watermark: a new leader's tail beyond its high watermark holds
 * commits the old leader acknowledged (they were in every ISR replica), which become committed under this leader.
 */
final class GroupLoader {

    private static final Logger log = LoggerFactory.getLogger(GroupLoader.class);

    private static final int READ_BYTES = 1 << 20;

    /** The latest metadata and offsets per group found in the log. */
    record Loaded(Map<String, GroupRecords.GroupValue> groups, Map<String, Map<TopicPartition, CommittedOffset>> offsets,
                  long endOffset) {}

    private GroupLoader() {
    }

    static Loaded replay(Partition partition) {
        Map<String, GroupRecords.GroupValue> groups = new LinkedHashMap<>();
        Map<String, Map<TopicPartition, CommittedOffset>> offsets = new LinkedHashMap<>();
        long end = partition.logEndOffset();
        long position = partition.logStartOffset();
        while (position < end) {
            LogReadResult read = partition.readForFollower(position, READ_BYTES, true);
            long next = position;
            for (RecordBatch batch : read.records().batches()) {
                if (batch.baseOffset() >= end) {
                    break;
                }
                next = batch.nextOffset();
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() < position || record.offset() >= end) {
                        continue;
                    }
                    GroupRecords.Entry entry;
                    try {
                        entry = GroupRecords.parse(record.key(), record.value());
                    } catch (RuntimeException e) {
                        // Not a record this coordinator wrote (nothing else may write here): skip it, keep loading.
                        log.warn("{}: skipping the unreadable record at offset {}: {}", partition.topicPartition(),
                                record.offset(), e.toString());
                        continue;
                    }
                    apply(entry, record.offset(), groups, offsets);
                }
            }
            if (next <= position) {
                break; // nothing more readable (a gap after retention or truncation): stop, what is read stands
            }
            position = next;
        }
        return new Loaded(groups, offsets, end);
    }

    private static void apply(GroupRecords.Entry entry, long recordOffset, Map<String, GroupRecords.GroupValue> groups,
                              Map<String, Map<TopicPartition, CommittedOffset>> offsets) {
        if (entry instanceof GroupRecords.Entry.Offset offset) {
            if (offset.value() == null) {
                Map<TopicPartition, CommittedOffset> ofGroup = offsets.get(offset.group());
                if (ofGroup != null) {
                    ofGroup.remove(offset.topicPartition());
                }
            } else {
                GroupRecords.OffsetValue v = offset.value();
                offsets.computeIfAbsent(offset.group(), g -> new HashMap<>()).put(offset.topicPartition(),
                        new CommittedOffset(v.offset(), v.leaderEpoch(), v.metadata(), v.commitTimestamp(), recordOffset));
            }
        } else if (entry instanceof GroupRecords.Entry.Group group) {
            if (group.value() == null) {
                groups.remove(group.group());
            } else {
                groups.put(group.group(), group.value());
            }
        }
    }
}
