package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.serde.Deserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Reads assigned partitions. Not thread-safe. (API shell: implementation follows.) */
public final class Consumer<K, V> implements AutoCloseable {
    public Consumer(Properties config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        ConsumerConfig.from(config);
    }

    public void assign(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Set<TopicPartition> assignment() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public List<ConsumerRecord<K, V>> poll(Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void seek(TopicPartition partition, long offset) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void seekToBeginning(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void seekToEnd(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public long position(TopicPartition partition) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
