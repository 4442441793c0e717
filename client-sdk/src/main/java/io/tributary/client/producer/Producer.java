package io.tributary.client.producer;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.serde.Serializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/** Sends records to a Tributary (or Kafka) cluster. Thread-safe. (API shell: implementation follows.) */
public final class Producer<K, V> implements AutoCloseable {
    public Producer(Properties config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        ProducerConfig.from(config);
    }

    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void flush() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public List<PartitionInfo> partitionsFor(String topic) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    public void close(Duration timeout) {
    }
}
