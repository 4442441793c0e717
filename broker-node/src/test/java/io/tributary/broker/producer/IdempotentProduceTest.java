package io.tributary.broker.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idempotent producer's retry of a batch whose acknowledgement it never saw is answered with the
 * original offsets and not written again, also after the broker restarted in between.
 */
class IdempotentProduceTest {

    private static final long PRODUCER_ID = 7001;

    @TempDir
    Path dataDir;

    @Test
    void retriesAreNotStoredTwiceAndGapsAreRefused() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1, dataDir)) {
            String topic = "payments";
            try (WireClient client = new WireClient("127.0.0.1", cluster.port(1))) {
                CreateTopicsResponse created = (CreateTopicsResponse) client.send(Requests.createTopic(topic, 1, 1), (short) 7);
                assertEquals(Errors.NONE.code(), created.data().topics().find(topic).errorCode());
            }
            cluster.awaitLeader(topic, 0);
            try (WireClient client = new WireClient("127.0.0.1", cluster.port(1))) {
                assertEquals(new Outcome(Errors.NONE, 0), produce(client, topic, 0, "a", "b"));
                assertEquals(new Outcome(Errors.NONE, 2), produce(client, topic, 2, "c"));
                assertEquals(new Outcome(Errors.NONE, 0), produce(client, topic, 0, "a", "b"), "a retry gets the first offsets");
                assertEquals(3, latestOffset(client, topic), "the retry added nothing");
                assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, produce(client, topic, 9, "gap").error());
                assertEquals(3, latestOffset(client, topic));
            }
            cluster.restart(1);
            cluster.awaitLeader(topic, 0);
            try (WireClient client = new WireClient("127.0.0.1", cluster.port(1))) {
                assertEquals(new Outcome(Errors.NONE, 2), produce(client, topic, 2, "c"), "recognised after a restart too");
                assertEquals(new Outcome(Errors.NONE, 3), produce(client, topic, 3, "d"));
                assertEquals(4, latestOffset(client, topic));
            }
        }
    }

    private record Outcome(Errors error, long baseOffset) {}

    private static Outcome produce(WireClient client, String topic, int sequence, String... values) throws Exception {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, (short) 0, sequence, records);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(
                        new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch)))).iterator()));
        ProduceResponse response = (ProduceResponse) client.send(request, (short) 9);
        ProduceResponseData.PartitionProduceResponse partition =
                response.data().responses().iterator().next().partitionResponses().get(0);
        return new Outcome(Errors.forCode(partition.errorCode()), partition.baseOffset());
    }

    private static long latestOffset(WireClient client, String topic) throws Exception {
        ListOffsetsResponse response = (ListOffsetsResponse) client.send(Requests.listOffset(topic, 0, -1), (short) 6);
        return response.data().topics().get(0).partitions().get(0).offset();
    }
}
