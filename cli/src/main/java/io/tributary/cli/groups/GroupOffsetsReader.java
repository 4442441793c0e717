package io.tributary.cli.groups;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.serde.Serdes;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads partitions' log offsets (start, end, by time) with ListOffsets through a group-less consumer,
 * created on first use so that views which need no offsets open no second client.
 */
public final class GroupOffsetsReader implements AutoCloseable {
    /** The consumer settings taken over from the tool's client properties; the consumer rejects other keys. */
    private static final List<String> SHARED_KEYS = List.of("bootstrap.servers", "request.timeout.ms", "retry.backoff.ms",
            "socket.connection.setup.timeout.ms");

    private final Properties consumerProperties = new Properties();
    private Consumer<byte[], byte[]> consumer;

    public GroupOffsetsReader(Properties clientProperties) {
        for (String key : SHARED_KEYS) {
            if (clientProperties.getProperty(key) != null) {
                consumerProperties.setProperty(key, clientProperties.getProperty(key));
            }
        }
        consumerProperties.setProperty("client.id", "consumer-groups-offsets");
    }

    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return partitions.isEmpty() ? Map.of() : consumer().beginningOffsets(partitions);
    }

    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return partitions.isEmpty() ? Map.of() : consumer().endOffsets(partitions);
    }

    /** The first offset at or after the time per partition; absent where no record is that late. */
    public Map<TopicPartition, Long> atTime(Collection<TopicPartition> partitions, long timestampMs) {
        return partitions.isEmpty() ? Map.of() : consumer().offsetsForTime(partitions, timestampMs);
    }

    private Consumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new Consumer<>(consumerProperties, Serdes.bytes().deserializer(), Serdes.bytes().deserializer());
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
