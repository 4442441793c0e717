package io.tributary.client.network;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a new connection to a broker address may be tried after failed attempts (refused, timed out, or
 * closed before the ApiVersions handshake finished). The wait is reconnect.backoff.ms, doubled per
 * consecutive failure up to reconnect.backoff.max.ms, with 20% random jitter so many clients of a
 * restarted broker do not reconnect in step (KIP-144, Kafka's defaults 50 ms and 1 s). A successful
 * handshake forgets the failures, so a broker that drops an established connection is retried at once.
 */
final class ReconnectBackoff {
    private static final double JITTER = 0.2;

    private record Failures(int count, long notBeforeMs) {
    }

    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private final Map<String, Failures> byAddress = new HashMap<>();

    /** @param random values in [0, 1) for the jitter */
    ReconnectBackoff(long baseMs, long maxMs, DoubleSupplier random) {
        this.baseMs = baseMs;
        this.maxMs = Math.max(baseMs, maxMs);
        this.random = random;
    }

    ReconnectBackoff(long baseMs, long maxMs) {
        this(baseMs, maxMs, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A connection attempt to {@code address} failed at {@code nowMs}. */
    synchronized void failed(String address, long nowMs) {
        Failures previous = byAddress.get(address);
        int count = previous == null ? 1 : previous.count() + 1;
        byAddress.put(address, new Failures(count, nowMs + backoffMs(count)));
    }

    /** A connection to {@code address} completed its handshake. */
    synchronized void connected(String address) {
        byAddress.remove(address);
    }

    /** The earliest time a new connection to {@code address} may be opened (long past if it never failed). */
    synchronized long notBeforeMs(String address) {
        Failures f = byAddress.get(address);
        return f == null ? Long.MIN_VALUE : f.notBeforeMs();
    }

    private long backoffMs(int failures) {
        if (baseMs == 0) {
            return 0;
        }
        double exponential = baseMs * Math.pow(2, Math.min(failures - 1, 62));
        double capped = Math.min(exponential, maxMs);
        double jitter = 1 + JITTER * (2 * random.getAsDouble() - 1);
        return (long) (capped * jitter);
    }
}
