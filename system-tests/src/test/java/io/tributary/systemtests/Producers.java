package io.tributary.systemtests;

import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.serde.Serdes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/** acks=1 producers (official and client-sdk) that send {@link NumberedRecord}s and log acks in an {@link AckLedger}. */
final class Producers {

    private Producers() {
    }

    static KafkaProducer<String, String> kafkaAcks1(String bootstrap, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // idempotence needs acks=all
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static Producer<String, String> sdkAcks1(String bootstrap, String clientId, long deliveryTimeoutMs) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("client.id", clientId);
        props.put("acks", "1");
        props.put("linger.ms", "5");
        props.put("request.timeout.ms", "10000");
        props.put("retry.backoff.ms", "100");
        props.put("delivery.timeout.ms", Long.toString(deliveryTimeoutMs));
        return new Producer<>(props, Serdes.string().serializer(), Serdes.string().serializer());
    }

    static void send(KafkaProducer<String, String> producer, String topic, Integer partition, NumberedRecord r, AckLedger ledger) {
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new RecordHeader(h.key(), h.value())));
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, partition, r.timestamp(), r.key(), r.value(), headers),
                (metadata, error) -> {
                    if (error != null) {
                        ledger.fail(r.index(), error.toString());
                    } else {
                        ledger.acked(r.index(), metadata.partition(), metadata.offset());
                    }
                });
    }

    static CompletableFuture<?> send(Producer<String, String> producer, String topic, Integer partition, NumberedRecord r, AckLedger ledger) {
        return producer.send(new ProducerRecord<>(topic, partition, r.timestamp(), r.key(), r.value(), r.headers()))
                .whenComplete((metadata, error) -> {
                    if (error != null) {
                        ledger.fail(r.index(), error.toString());
                    } else {
                        ledger.acked(r.index(), metadata.partition(), metadata.offset());
                    }
                });
    }
}
