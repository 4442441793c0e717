package io.tributary.client.producer;

/**
 * Where a sent record landed. {@code offset} is -1 for acks=0 (no response, so no offset is known);
 * {@code timestamp} is the broker's log-append time when the topic uses LogAppendTime, else the
 * record's create time.
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {
}
