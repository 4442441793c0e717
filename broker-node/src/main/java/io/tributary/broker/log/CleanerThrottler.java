package io.tributary.broker.log;

/**
 * Keeps the log cleaner's disk I/O (bytes read plus bytes written) under {@code log.cleaner.io.max.bytes.per.second},
 * shared by every cleaner thread as in Kafka: a thread that got ahead of the rate sleeps until the rate is met.
 * Sleeping is fine here: cleaner threads do nothing else.
 */
final class CleanerThrottler {
    private final double bytesPerSecond;
    private long windowStartNanos = System.nanoTime();
    private long bytesInWindow;

    /** {@code bytesPerSecond} <= 0 or infinite means unlimited. */
    CleanerThrottler(double bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    boolean unlimited() {
        return !(bytesPerSecond > 0) || bytesPerSecond >= Double.MAX_VALUE;
    }

    /**
     * Counts {@code bytes} of I/O and sleeps as long as the rate since the window began is above the limit, in
     * short slices so that a stopping broker is not held up by a low throttle.
     */
    void acquire(long bytes, java.util.function.BooleanSupplier stopping) throws InterruptedException {
        if (unlimited() || bytes <= 0) {
            return;
        }
        long sleepMs;
        synchronized (this) {
            long now = System.nanoTime();
            // A one-second window, restarted once it is over, so an idle period does not buy a burst.
            if (now - windowStartNanos > 1_000_000_000L) {
                windowStartNanos = now;
                bytesInWindow = 0;
            }
            bytesInWindow += bytes;
            double earliestNanos = bytesInWindow / bytesPerSecond * 1e9;
            sleepMs = (long) ((earliestNanos - (now - windowStartNanos)) / 1e6);
        }
        long until = System.currentTimeMillis() + sleepMs;
        while (sleepMs > 0 && !stopping.getAsBoolean()) {
            Thread.sleep(Math.min(sleepMs, 100));
            sleepMs = until - System.currentTimeMillis();
        }
    }
}
