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

/**
 * Producers (official and client-sdk) that send {@link NumberedRecord}s and log acks in an {@link AckLedger}:
 * acks=1, acks=all without retries (to see a broker's refusal as it is), and idempotent acks=all.
 */
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

    /**
     * acks=all, retries=0 and no idempotence, so the broker's first answer (NOT_ENOUGH_REPLICAS, say) reaches
     * the test as it is instead of being retried away.
     */
    static KafkaProducer<String, String> kafkaAcksAllNoRetries(String bootstrap, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // idempotence needs retries > 0
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /**
     * The idempotent acks=all producer (KIP-98, up to 5 requests in flight): retries until delivery.timeout.ms,
     * which covers a session timeout, a JVM restart and a catch-up on a loaded 2-core machine; the broker must
     * store a retried batch once.
     */
    static KafkaProducer<String, String> kafkaIdempotent(String bootstrap, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
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
