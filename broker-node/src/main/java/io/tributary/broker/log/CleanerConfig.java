package io.tributary.broker.log;

/**
 * Settings of a broker's log cleaner, Kafka's names.
 *
 * @param enable              {@code log.cleaner.enable}: run the cleaner at all (compacted topics grow unbounded without it)
 * @param threads             {@code log.cleaner.threads}: logs cleaned at the same time
 * @param backoffMs           {@code log.cleaner.backoff.ms}: sleep when no log needs cleaning
 * @param dedupeBufferSize    {@code log.cleaner.dedupe.buffer.size}: bytes for the key -> offset maps, over all threads
 * @param ioMaxBytesPerSecond {@code log.cleaner.io.max.bytes.per.second}: read plus write throttle; infinite = none
 * @param ioBufferSize        bytes of batches read and rewritten at a time (Kafka's log.cleaner.io.buffer.size)
 */
public record CleanerConfig(boolean enable, int threads, long backoffMs, long dedupeBufferSize,
                            double ioMaxBytesPerSecond, int ioBufferSize) {

    public CleanerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("log.cleaner.threads=" + threads + " must be >= 1");
        }
        if (backoffMs < 0) {
            throw new IllegalArgumentException("log.cleaner.backoff.ms=" + backoffMs + " must be >= 0");
        }
        if (dedupeBufferSize < 1024L * 1024 * threads) {
            throw new IllegalArgumentException("log.cleaner.dedupe.buffer.size=" + dedupeBufferSize
                    + " must be at least 1 MiB per cleaner thread");
        }
    }

    /** Kafka's defaults: enabled, 1 thread, 15 s backoff, 128 MiB dedupe buffer, no throttle, 512 KiB I/O buffer. */
    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 15_000, 128L * 1024 * 1024, Double.MAX_VALUE, 512 * 1024);
    }
}
