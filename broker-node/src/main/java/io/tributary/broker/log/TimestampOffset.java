package io.tributary.broker.log;

/** A record's timestamp and offset, as ListOffsets answers a timestamp query. */
public record TimestampOffset(long timestamp, long offset) {
}
