package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.client.producer.Producer;
import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leadership and routing: a broker refuses writes for a partition it does not lead
 * (NOT_LEADER_OR_FOLLOWER, so clients refresh metadata and retry), and client-sdk's producer rides out its
 * leader's kill -9 and restart: sends made while the leader is down complete once it is back, within
 * delivery.timeout.ms, and nothing acknowledged is lost or moved.
 */
class LeaderMoveTest {

    private static final int VALUE_BYTES = 100;
    private static final long BASE_TIMESTAMP = 1_720_000_000_000L;
    /** Produce v12 is the newest that names topics (v13 uses topic ids, KIP-516). */
    private static final short NEWEST_PRODUCE_BY_NAME = 12;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @Test
    void produceSentToABrokerThatDoesNotLeadThePartitionIsRefused() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "not-leader";
        c.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeaders(topic, 1).get(0);
        int other = c.brokerIds().stream().filter(id -> id != leader).findFirst().orElseThrow();

        ProduceResponseData.PartitionProduceResponse refused = produceOne(c.port(other), topic, "refused");
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, Errors.forCode(refused.errorCode()),
                "broker " + other + " does not lead " + topic + "-0 (broker " + leader + " does)");

        ProduceResponseData.PartitionProduceResponse accepted = produceOne(c.port(leader), topic, "accepted");
        assertEquals(Errors.NONE, Errors.forCode(accepted.errorCode()), "the leader " + leader + " must accept the same request");
        assertEquals(0, accepted.baseOffset(), "the refused record must not have taken offset 0");

        // Exactly the accepted record is in the log: the refusal wrote nothing anywhere.
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), topic, 1);
        assertEquals(Map.of(0, 1L), ends);
        List<ConsumedRecord> records = new ArrayList<>();
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), topic, ends, records::add);
        assertEquals(1, records.size());
        assertEquals(0, records.get(0).offset());
        assertEquals("accepted", records.get(0).value());
        assertEquals("k", records.get(0).key());
    }

    @Test
    void sdkProducerDeliversThroughKillAndRestartOfTheLeader() throws Exception {
        ClusterProcesses c = cluster.get();
        String topic = "moving";
        c.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        int leader = c.awaitLeaders(topic, 1).get(0);

        AckLedger ledger = new AckLedger("moving", 1500);
        // delivery.timeout.ms covers a session timeout plus a JVM restart on a loaded 2-core machine.
        try (Producer<String, String> producer = Producers.sdkAcks1(c.bootstrap(), "moving-sdk", 120_000)) {
            sendRange(producer, topic, ledger, 0, 500);
            producer.flush();
            assertEquals(500, ledger.ackedCount(), "before the kill: " + ledger.problems());

            c.kill(leader);
            List<CompletableFuture<?>> inFlight = sendRange(producer, topic, ledger, 500, 1000);
            c.restart(leader);
            awaitAll(inFlight, ledger);

            sendRange(producer, topic, ledger, 1000, 1500);
            producer.flush();
        }
        assertEquals("", ledger.problems(), "every send must succeed");

        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), topic, 1);
        assertEquals(Map.of(0, 1500L), ends, "exactly the 1500 acknowledged records, no duplicates from retries");
        LogContentCheck bySdk = new LogContentCheck("client-sdk consumer", Map.of(ledger.source(), ledger), 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithSdkConsumer(c.bootstrap(), topic, ends, bySdk::accept);
        bySdk.assertComplete(ends);
        LogContentCheck byKafka = new LogContentCheck("official consumer", Map.of(ledger.source(), ledger), 1, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), topic, ends, byKafka::accept);
        byKafka.assertComplete(ends);
    }

    private static List<CompletableFuture<?>> sendRange(Producer<String, String> producer, String topic, AckLedger ledger, int from, int to) {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(Producers.send(producer, topic, null, NumberedRecord.of(ledger.source(), i, BASE_TIMESTAMP, VALUE_BYTES), ledger));
        }
        return futures;
    }

    private static void awaitAll(List<CompletableFuture<?>> futures, AckLedger ledger) throws InterruptedException {
        try {
            // Bounded by more than delivery.timeout.ms: the producer itself must settle each one first.
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("sends made while the leader was down failed: " + ledger.problems(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("sends made while the leader was down never completed (delivery.timeout.ms not honoured): "
                    + ledger.ackedCount() + " acknowledged, " + ledger.problems(), e);
        }
    }

    /** One record (key "k") produced with acks=1 straight to the broker on {@code port}, bypassing any routing. */
    private static ProduceResponseData.PartitionProduceResponse produceOne(int port, String topic, String value) throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open("127.0.0.1", port)) {
            short version = connection.negotiate(ApiKeys.PRODUCE, NEWEST_PRODUCE_BY_NAME);
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(BASE_TIMESTAMP, "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                    new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(10_000).setTopicData(topics);
            ProduceResponse response = (ProduceResponse) connection.send(ApiKeys.PRODUCE, version, request);
            ProduceResponseData.TopicProduceResponse topicResponse = response.data().responses().iterator().next();
            assertEquals(topic, topicResponse.name(), "the response must name the topic it answers for");
            return topicResponse.partitionResponses().get(0);
        }
    }
}
