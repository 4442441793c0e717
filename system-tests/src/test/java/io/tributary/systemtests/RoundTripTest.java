package io.tributary.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.serde.Serdes;
import io.tributary.systemtests.harness.ClusterExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200,000 records through client-sdk's producer and 200,000 through the official one (acks=1) into a
 * 6-partition topic spread over 3 broker processes, then the whole topic read back by client-sdk's
 * consumer and by the official consumer: each read must see exactly the acknowledged records, with their
 * keys, values, headers and timestamps, at the offsets the acknowledgements named, offsets 0..n-1 per
 * partition, and keyed records on the partition Kafka's default partitioner (murmur2) picks.
 */
class RoundTripTest {

    private static final String TOPIC = "round-trip";
    private static final int PARTITIONS = 6;
    private static final int RECORDS_PER_PRODUCER = 200_000;
    private static final int VALUE_BYTES = 100;
    /** A fixed, recognisable create-time base, so timestamps are checked exactly (not "about now"). */
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));

    @Test
    void everyRecordFromBothProducersReadsBackIdenticallyWithBothConsumers() throws Exception {
        var c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Map<Integer, Integer> leaders = c.awaitLeaders(TOPIC, PARTITIONS);
        assertEquals(Set.of(1, 2, 3), Set.copyOf(leaders.values()), "6 partitions on 3 brokers must use all of them: " + leaders);

        AckLedger sdk = produceWithSdk(c.bootstrap());
        AckLedger kafka = produceWithKafkaProducer(c.bootstrap());
        assertEquals("", sdk.problems(), "client-sdk producer");
        assertEquals("", kafka.problems(), "official producer");
        assertKeyedRecordsOnMurmur2Partition(sdk);
        assertKeyedRecordsOnMurmur2Partition(kafka);

        Map<String, AckLedger> ledgers = new LinkedHashMap<>();
        ledgers.put(sdk.source(), sdk);
        ledgers.put(kafka.source(), kafka);
        Map<Integer, Long> ends = TopicReaders.endOffsets(c.bootstrap(), TOPIC, PARTITIONS);
        assertEquals(2L * RECORDS_PER_PRODUCER, ends.values().stream().mapToLong(Long::longValue).sum(),
                "sum of end offsets " + ends + " must equal the records acknowledged");

        LogContentCheck bySdk = new LogContentCheck("client-sdk consumer", ledgers, PARTITIONS, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithSdkConsumer(c.bootstrap(), TOPIC, ends, bySdk::accept);
        bySdk.assertComplete(ends);

        LogContentCheck byKafka = new LogContentCheck("official consumer", ledgers, PARTITIONS, BASE_TIMESTAMP, VALUE_BYTES);
        TopicReaders.readWithKafkaConsumer(c.bootstrap(), TOPIC, ends, byKafka::accept);
        byKafka.assertComplete(ends);
    }

    private static AckLedger produceWithSdk(String bootstrap) {
        AckLedger ledger = new AckLedger("sdk", RECORDS_PER_PRODUCER);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("client.id", "round-trip-sdk");
        props.put("acks", "1");
        props.put("linger.ms", "10");
        props.put("batch.size", "131072");
        try (Producer<String, String> producer = new Producer<>(props, Serdes.string().serializer(), Serdes.string().serializer())) {
            for (int i = 0; i < RECORDS_PER_PRODUCER; i++) {
                NumberedRecord r = NumberedRecord.of(ledger.source(), i, BASE_TIMESTAMP, VALUE_BYTES);
                int index = i;
                producer.send(new ProducerRecord<>(TOPIC, null, r.timestamp(), r.key(), r.value(), r.headers()))
                        .whenComplete((metadata, error) -> {
                            if (error != null) {
                                ledger.fail(index, error.toString());
                            } else {
                                ledger.acked(index, metadata.partition(), metadata.offset());
                            }
                        });
            }
            producer.flush();
        }
        return ledger;
    }

    private static AckLedger produceWithKafkaProducer(String bootstrap) {
        AckLedger ledger = new AckLedger("kafka", RECORDS_PER_PRODUCER);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "round-trip-kafka");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // acks=1 cannot be idempotent
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS_PER_PRODUCER; i++) {
                NumberedRecord r = NumberedRecord.of(ledger.source(), i, BASE_TIMESTAMP, VALUE_BYTES);
                List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
                r.headers().forEach(h -> headers.add(new RecordHeader(h.key(), h.value())));
                int index = i;
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TOPIC, null, r.timestamp(), r.key(), r.value(), headers),
                        (metadata, error) -> {
                            if (error != null) {
                                ledger.fail(index, error.toString());
                            } else {
                                ledger.acked(index, metadata.partition(), metadata.offset());
                            }
                        });
            }
            producer.flush();
        }
        return ledger;
    }

    /** Keys must land where a Kafka client puts them: toPositive(murmur2(key)) % partitions. */
    private static void assertKeyedRecordsOnMurmur2Partition(AckLedger ledger) {
        int checked = 0;
        for (int i = 0; i < ledger.size(); i++) {
            NumberedRecord r = NumberedRecord.of(ledger.source(), i, BASE_TIMESTAMP, VALUE_BYTES);
            if (r.key() == null) {
                continue;
            }
            int expected = Utils.toPositive(Utils.murmur2(r.keyBytes())) % PARTITIONS;
            if (ledger.partitionOf(i) != expected) {
                throw new AssertionError(ledger.source() + " record " + i + " with key '" + r.key() + "' went to partition "
                        + ledger.partitionOf(i) + " but Kafka's partitioner picks " + expected);
            }
            checked++;
        }
        assertTrue(checked > RECORDS_PER_PRODUCER / 4, "only " + checked + " keyed records checked");
    }
}
