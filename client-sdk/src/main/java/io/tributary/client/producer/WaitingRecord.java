package io.tributary.client.producer;

import org.apache.kafka.common.header.Header;

import java.util.concurrent.CompletableFuture;

/** A serialized record accepted by send() whose partition cannot be chosen until its topic's metadata arrives. */
record WaitingRecord(String topic, Integer partition, long timestamp, byte[] key, byte[] value, Header[] headers,
                     CompletableFuture<RecordMetadata> future, long reservedBytes, long createdMs) {
}
