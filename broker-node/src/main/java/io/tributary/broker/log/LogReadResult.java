package io.tributary.broker.log;

import java.util.Optional;

import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Records;

/**
 * Whole batches read from a partition log.
 *
 * @param records        a zero-copy {@code FileRecords} slice of one segment, or {@link MemoryRecords#EMPTY};
 *                       never close it: it shares the segment's channel
 * @param logStartOffset the log start offset when the read began
 * @param logEndOffset   the log end offset the read was bounded by
 * @param fileRegion     the same bytes as a file region, empty when nothing was read
 */
public record LogReadResult(Records records, long logStartOffset, long logEndOffset,
                            Optional<FileRegion> fileRegion) {

    public LogReadResult(Records records, long logStartOffset, long logEndOffset) {
        this(records, logStartOffset, logEndOffset, Optional.empty());
    }

    static LogReadResult empty(long logStartOffset, long logEndOffset) {
        return new LogReadResult(MemoryRecords.EMPTY, logStartOffset, logEndOffset, Optional.empty());
    }
}
