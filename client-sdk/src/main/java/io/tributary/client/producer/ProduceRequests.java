package io.tributary.client.producer;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one Produce request holding one batch per partition for a broker. Topics are named by NAME,
 * which is why the client stops at Produce v12 (v13 names them by topic id only, KIP-516). There is no
 * transactional id (valid in v3-v12); an idempotent producer's id, epoch and sequence travel inside
 * each record batch, written there by {@link ProducerBatch}.
 */
final class ProduceRequests {
    private ProduceRequests() {
    }

    static ProduceRequestData build(short acks, int timeoutMs, List<ProducerBatch> batches) {
        Map<String, TopicProduceData> byTopic = new LinkedHashMap<>();
        for (ProducerBatch b : batches) {
            byTopic.computeIfAbsent(b.topicPartition.topic(), t -> new TopicProduceData().setName(t))
                    .partitionData()
                    .add(new PartitionProduceData().setIndex(b.topicPartition.partition()).setRecords(b.records()));
        }
        TopicProduceDataCollection topics = new TopicProduceDataCollection();
        byTopic.values().forEach(topics::add);
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(timeoutMs).setTransactionalId(null).setTopicData(topics);
    }
}
