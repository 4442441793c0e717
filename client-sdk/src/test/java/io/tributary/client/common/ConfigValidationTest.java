package io.tributary.client.common;

import io.tributary.client.admin.AdminConfig;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.OffsetResetStrategy;
import io.tributary.client.producer.Acks;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.serde.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValidationTest {
    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:9092");
        return m;
    }

    @Test
    void producerDefaultsAreKafkas() {
        ProducerConfig c = ProducerConfig.from(base());
        assertEquals(List.of(InetSocketAddress.createUnresolved("localhost", 9092)), c.bootstrapServers());
        assertEquals(Acks.ALL, c.acks());
        assertEquals(5, c.lingerMs());
        assertEquals(16384, c.batchSize());
        assertEquals(33_554_432L, c.bufferMemory());
        assertEquals("none", c.compressionType());
        assertEquals(100, c.retryBackoffMs());
        assertEquals(30_000, c.requestTimeoutMs());
        assertEquals(120_000, c.deliveryTimeoutMs());
        assertEquals(1_048_576, c.maxRequestSize());
        assertEquals(5, c.maxInFlightRequestsPerConnection());
        assertEquals(Integer.MAX_VALUE, c.retries());
    }

    @Test
    void producerAcceptsStringsAndNumbersAndAllCodecs() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "a:1, b:2,[::1]:3");
        p.put("acks", "-1");
        p.put("linger.ms", 20);
        p.put("compression.type", "ZSTD");
        ProducerConfig c = ProducerConfig.from(p);
        assertEquals(3, c.bootstrapServers().size());
        assertEquals("::1", c.bootstrapServers().get(2).getHostString());
        assertEquals(Acks.ALL, c.acks());
        assertEquals(20, c.lingerMs());
        assertEquals("zstd", c.compressionType());
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            Map<String, Object> m = base();
            m.put("compression.type", codec);
            assertEquals(codec, ProducerConfig.from(m).compression().type().name);
        }
        Map<String, Object> m = base();
        m.put("acks", "0");
        assertEquals(Acks.NONE, ProducerConfig.from(m).acks());
    }

    @ParameterizedTest
    @CsvSource({
            "acks, 2",
            "compression.type, brotli",
            "linger.ms, soon",
            "batch.size, -1",
            "max.in.flight.requests.per.connection, 0",
            "bootstrap.servers, localhost",
            "bootstrap.servers, localhost:notaport",
            "bootstrap.servers, localhost:70000",
            "delivery.timeout.ms, 1000",
            "linger.mss, 5",
    })
    void producerRejectsBadValuesNamingTheKey(String key, String value) {
        Map<String, Object> m = base();
        m.put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> ProducerConfig.from(m));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void missingBootstrapServersIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProducerConfig.from(Map.of("acks", "1")));
        assertEquals("bootstrap.servers", e.key());
        assertThrows(ConfigException.class, () -> ConsumerConfig.from(Map.of()));
        assertThrows(ConfigException.class, () -> AdminConfig.from(Map.of()));
    }

    @Test
    void producerConstructorFailsOnBadConfigBeforeStartingAnything() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:9092");
        p.put("group.id", "g");
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer()));
        assertEquals("group.id", e.key());
    }

    @Test
    void consumerDefaultsAndValidation() {
        ConsumerConfig c = ConsumerConfig.from(base());
        assertEquals(OffsetResetStrategy.LATEST, c.autoOffsetReset());
        assertEquals(1, c.fetchMinBytes());
        assertEquals(500, c.fetchMaxWaitMs());
        assertEquals(52_428_800, c.fetchMaxBytes());
        assertEquals(1_048_576, c.maxPartitionFetchBytes());
        assertEquals(500, c.maxPollRecords());

        Map<String, Object> m = base();
        m.put("auto.offset.reset", "Earliest");
        assertEquals(OffsetResetStrategy.EARLIEST, ConsumerConfig.from(m).autoOffsetReset());
        m.put("auto.offset.reset", "smallest");
        assertEquals("auto.offset.reset", assertThrows(ConfigException.class, () -> ConsumerConfig.from(m)).key());
        Map<String, Object> m2 = base();
        m2.put("max.poll.records", "0");
        assertEquals("max.poll.records", assertThrows(ConfigException.class, () -> ConsumerConfig.from(m2)).key());
        Map<String, Object> m3 = base();
        m3.put("request.timeout.ms", "400");
        assertEquals("request.timeout.ms", assertThrows(ConfigException.class, () -> ConsumerConfig.from(m3)).key());
    }

    @Test
    void adminAcceptsOnlyItsKeys() {
        Map<String, Object> m = base();
        m.put("request.timeout.ms", "5000");
        assertEquals(5000, AdminConfig.from(m).requestTimeoutMs());
        m.put("acks", "all");
        assertEquals("acks", assertThrows(ConfigException.class, () -> AdminConfig.from(m)).key());
    }
}
