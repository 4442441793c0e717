package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * One {@link NumberedRecord} produced over a {@link RawKafkaConnection} straight to one broker, with no
 * routing, retries or idempotence: the broker's answer (error code, base offset) comes back as it is.
 */
final class RawProduce {

    /** Produce v12 is the newest that names topics (v13 uses topic ids, KIP-516). */
    static final short NEWEST_PRODUCE_BY_NAME = 12;

    private RawProduce() {
    }

    static ProduceRequestData request(String topic, int partition, short acks, int timeoutMs, NumberedRecord r) {
        org.apache.kafka.common.header.Header[] headers = r.headers().stream()
                .map(h -> new RecordHeader(h.key(), h.value())).toArray(org.apache.kafka.common.header.Header[]::new);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(r.timestamp(), r.keyBytes(),
                r.value().getBytes(StandardCharsets.UTF_8), headers));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(timeoutMs).setTopicData(topics);
    }

    /** The one partition's answer in a Produce response to {@link #request}. */
    static ProduceResponseData.PartitionProduceResponse answer(AbstractResponse response, String topic) {
        ProduceResponseData.TopicProduceResponse topicResponse = ((ProduceResponse) response).data().responses().iterator().next();
        assertEquals(topic, topicResponse.name(), "the response must name the topic it answers for");
        return topicResponse.partitionResponses().get(0);
    }

    /** Produces {@code r} to {@code partition} of {@code topic} on the broker at {@code port} over a new connection. */
    static ProduceResponseData.PartitionProduceResponse produce(int port, String topic, int partition, short acks, NumberedRecord r)
            throws IOException {
        try (RawKafkaConnection connection = RawKafkaConnection.open("127.0.0.1", port)) {
            short version = connection.negotiate(org.apache.kafka.common.protocol.ApiKeys.PRODUCE, NEWEST_PRODUCE_BY_NAME);
            return answer(connection.send(org.apache.kafka.common.protocol.ApiKeys.PRODUCE, version,
                    request(topic, partition, acks, 10_000, r)), topic);
        }
    }
}
