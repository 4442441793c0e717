package io.tributary.client.network;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The backoff arithmetic with explicit clock values and fixed jitter, so nothing depends on real time. */
class ReconnectBackoffTest {
    private static final String DEAD = "10.0.0.9:9092";

    @Test
    void consecutiveFailuresDoubleTheWaitUpToTheMaximumAndASuccessForgetsThem() {
        ReconnectBackoff backoff = new ReconnectBackoff(50, 1_000, () -> 0.5); // 0.5: no jitter
        assertEquals(Long.MIN_VALUE, backoff.notBeforeMs(DEAD), "an address that never failed may be tried at once");
        long[] expected = {50, 100, 200, 400, 800, 1_000, 1_000};
        long now = 10_000;
        for (long wait : expected) {
            backoff.failed(DEAD, now);
            assertEquals(now + wait, backoff.notBeforeMs(DEAD));
            now += wait;
        }
        assertEquals(Long.MIN_VALUE, backoff.notBeforeMs("10.0.0.8:9092"), "backoff is per address");
        backoff.connected(DEAD);
        assertEquals(Long.MIN_VALUE, backoff.notBeforeMs(DEAD));
        backoff.failed(DEAD, now);
        assertEquals(now + 50, backoff.notBeforeMs(DEAD), "after a success the wait starts over");
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        ReconnectBackoff low = new ReconnectBackoff(1_000, 1_000, () -> 0.0);
        ReconnectBackoff high = new ReconnectBackoff(1_000, 1_000, () -> 0.999_999);
        low.failed(DEAD, 0);
        high.failed(DEAD, 0);
        assertEquals(800, low.notBeforeMs(DEAD));
        assertEquals(1_199, high.notBeforeMs(DEAD));
    }

    @Test
    void zeroBaseMeansNoBackoffAndAMaximumBelowTheBaseIsRaisedToIt() {
        ReconnectBackoff none = new ReconnectBackoff(0, 1_000, () -> 0.5);
        none.failed(DEAD, 500);
        assertEquals(500, none.notBeforeMs(DEAD));
        ReconnectBackoff flat = new ReconnectBackoff(300, 100, () -> 0.5);
        flat.failed(DEAD, 0);
        flat.failed(DEAD, 0);
        assertEquals(300, flat.notBeforeMs(DEAD));
    }
}
