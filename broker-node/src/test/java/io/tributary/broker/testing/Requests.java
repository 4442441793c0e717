package io.tributary.broker.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/** Request data the broker tests send again and again, built in one place. */
public final class Requests {

    private Requests() {
    }

    public static CreateTopicsRequestData createTopic(String name, int partitions, int replicationFactor) {
        return createTopics(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) replicationFactor));
    }

    public static CreateTopicsRequestData createTopics(CreateTopicsRequestData.CreatableTopic... topics) {
        return new CreateTopicsRequestData().setTimeoutMs(30_000)
                .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(topics).iterator()));
    }

    /** One uncompressed record as one batch for partition {@code partition} of {@code topic}, named by name. */
    public static ProduceRequestData produce(String topic, int partition, short acks, String value) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(
                        new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))))
                        .iterator()));
    }

    /** A consumer fetch (replica id -1, no wait) from {@code offset}, topic named by name. */
    public static FetchRequestData fetch(String topic, int partition, long offset) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(partition)
                                .setFetchOffset(offset).setPartitionMaxBytes(1 << 20)))));
    }

    public static ListOffsetsRequestData listOffset(String topic, int partition, long timestamp) {
        return new ListOffsetsRequestData().setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic)
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(partition).setTimestamp(timestamp)))));
    }
}
