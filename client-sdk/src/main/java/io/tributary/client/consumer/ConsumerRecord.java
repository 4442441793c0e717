package io.tributary.client.consumer;

import io.tributary.client.common.Header;
import io.tributary.client.common.TopicPartition;

import java.util.List;

/** A record read from a partition, with its offset and create (or log-append) timestamp. */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp, K key, V value, List<Header> headers) {
    public ConsumerRecord {
        headers = List.copyOf(headers);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
