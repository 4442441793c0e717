package io.tributary.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerRatesTest {

    private static BrokerMetrics at(long ms, Map<String, Double> messages, Map<String, Double> bytesIn) {
        return new BrokerMetrics(ms, null, null, null, null, null, null, null, messages, bytesIn, Map.of(), Map.of(), Map.of());
    }

    @Test
    void ratesAreIncreasesPerSecondSummedOverTopicsForBytes() {
        BrokerRates r = BrokerRates.between(at(1_000, Map.of("a", 100.0), Map.of("a", 1000.0, "b", 0.0)),
                at(3_000, Map.of("a", 300.0, "new", 50.0), Map.of("a", 5000.0, "b", 2000.0)));
        assertEquals(100.0, r.messagesInPerSecByTopic().get("a"));
        assertEquals(0.0, r.messagesInPerSecByTopic().get("new"), "a topic first seen has no interval yet");
        assertEquals(3000.0, r.bytesInPerSec());
    }

    @Test
    void aCounterThatWentDownRestartedFromZero() {
        BrokerRates r = BrokerRates.between(at(0, Map.of("a", 900.0), Map.of()), at(1_000, Map.of("a", 40.0), Map.of()));
        assertEquals(40.0, r.messagesInPerSecByTopic().get("a"));
    }

    @Test
    void noRateWithoutAnInterval() {
        assertNull(BrokerRates.between(null, at(1_000, Map.of(), Map.of())));
        assertNull(BrokerRates.between(at(1_000, Map.of(), Map.of()), at(1_000, Map.of(), Map.of())));
    }
}
