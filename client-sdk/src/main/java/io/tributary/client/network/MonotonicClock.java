package io.tributary.client.network;

/** Milliseconds from a monotonic source: deadlines must not jump when the wall clock is adjusted. */
public final class MonotonicClock {
    private MonotonicClock() {
    }

    public static long nowMs() {
        return System.nanoTime() / 1_000_000L;
    }
}
