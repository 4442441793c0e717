package io.tributary.broker.log;

import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention pass over every log of a broker, for the broker to run periodically (Kafka's
 * {@code log.retention.check.interval.ms}, 5 minutes by default; 30 s is fine). Blocking file work: run it on
 * a worker thread, never an event loop. Each log's pass is serialised with its appends by the log's lock.
 */
public final class RetentionTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);

    private final LogManager logs;
    private final LongSupplier clock;
    private final ToLongFunction<PartitionLog> highWatermark;

    /**
     * @param highWatermark the offset below which a partition's data may be deleted (its high watermark on a
     *                      leader); use {@code log -> Long.MAX_VALUE} to bound by the log end offset only
     */
    public RetentionTask(LogManager logs, LongSupplier clock, ToLongFunction<PartitionLog> highWatermark) {
        this.logs = logs;
        this.clock = clock;
        this.highWatermark = highWatermark;
    }

    @Override
    public void run() {
        runOnce();
    }

    /** @return the number of segments deleted over all logs */
    public int runOnce() {
        long now = clock.getAsLong();
        int deleted = 0;
        for (PartitionLog log : logs.all()) {
            try {
                deleted += log.deleteExpiredSegments(now, highWatermark.applyAsLong(log));
            } catch (RuntimeException e) {
                // One failing partition must not stop retention of the others.
                LOG.warn("{}-{}: retention failed: {}", log.topic(), log.partition(), e.toString(), e);
            }
        }
        return deleted;
    }
}
