package io.tributary.broker.log;

/**
 * What one append wrote.
 *
 * @param firstOffset     offset of the first record written
 * @param lastOffset      offset of the last record written
 * @param maxTimestamp    largest batch max timestamp of the request
 * @param logAppendTimeMs the broker time stamped into LOG_APPEND_TIME batches, or -1 when the batches keep
 *                        their CreateTime (what Produce responses carry in {@code log_append_time_ms})
 * @param batchCount      number of record batches written
 * @param bytes           bytes written to the segment
 */
public record AppendResult(long firstOffset, long lastOffset, long maxTimestamp, long logAppendTimeMs,
                           int batchCount, int bytes) {
}
