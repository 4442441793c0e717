package io.tributary.client.producer;

import io.tributary.client.common.ConfigException;
import io.tributary.client.serde.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** enable.idempotence and the settings it depends on, resolved as Kafka 3.2+ does (KAFKA-13673). */
class IdempotenceConfigTest {
    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:9092");
        return m;
    }

    @Test
    void idempotenceIsOnByDefaultWithAcksAllAndKafkasReconnectBackoff() {
        ProducerConfig c = ProducerConfig.from(base());
        assertTrue(c.enableIdempotence());
        assertEquals(Acks.ALL, c.acks());
        assertEquals(50, c.reconnectBackoffMs());
        assertEquals(1_000, c.reconnectBackoffMaxMs());
    }

    /** A user who only asked for a weaker setting gets it, and idempotence quietly goes away. */
    @ParameterizedTest
    @CsvSource({"acks, 1", "acks, 0", "retries, 0", "max.in.flight.requests.per.connection, 6"})
    void aConflictingSettingWithoutEnableIdempotenceSwitchesItOff(String key, String value) {
        Map<String, Object> m = base();
        m.put(key, value);
        assertFalse(ProducerConfig.from(m).enableIdempotence());
    }

    /** Both keys set explicitly and in conflict: refused, and the message names both. */
    @ParameterizedTest
    @CsvSource({"acks, 1", "acks, 0", "retries, 0", "max.in.flight.requests.per.connection, 6"})
    void aConflictingSettingWithEnableIdempotenceTrueIsRefusedNamingBothKeys(String key, String value) {
        Map<String, Object> m = base();
        m.put("enable.idempotence", "true");
        m.put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> ProducerConfig.from(m));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("enable.idempotence")
                && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void theProducerConstructorRefusesAcksOneWithExplicitIdempotence() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "localhost:9092");
        p.put("acks", "1");
        p.put("enable.idempotence", true);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer()));
        assertEquals("acks", e.key());
        assertTrue(e.getMessage().contains("enable.idempotence"), e.getMessage());
    }

    @Test
    void explicitFalseAllowsWeakerSettingsAndExplicitTrueKeepsTheLimits() {
        Map<String, Object> off = base();
        off.put("enable.idempotence", "FALSE");
        off.put("acks", "1");
        off.put("max.in.flight.requests.per.connection", "10");
        ProducerConfig c = ProducerConfig.from(off);
        assertFalse(c.enableIdempotence());
        assertEquals(10, c.maxInFlightRequestsPerConnection());

        Map<String, Object> on = base();
        on.put("enable.idempotence", true);
        on.put("acks", "-1");
        on.put("max.in.flight.requests.per.connection", 5);
        assertTrue(ProducerConfig.from(on).enableIdempotence());

        Map<String, Object> bad = base();
        bad.put("enable.idempotence", "yes");
        assertEquals("enable.idempotence", assertThrows(ConfigException.class, () -> ProducerConfig.from(bad)).key());
        Map<String, Object> negative = base();
        negative.put("reconnect.backoff.ms", "-1");
        assertEquals("reconnect.backoff.ms", assertThrows(ConfigException.class, () -> ProducerConfig.from(negative)).key());
    }
}
