package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log cleaner for {@code cleanup.policy=compact} logs (Kafka's LogCleaner): {@code log.cleaner.threads}
 * threads of its own, each picking the dirtiest compacted log that is not being cleaned, whose dirty share
 * reaches its min.cleanable.dirty.ratio (or whose oldest dirty record passed max.compaction.lag.ms, or whose
 * kept tombstones reached their delete horizon), and cleaning it with a {@link SegmentCleaner}. Idle threads
 * sleep {@code log.cleaner.backoff.ms}. Each replica cleans its own log, as in Kafka.
 *
 * <p>Where each log's dirty part starts is kept in {@code cleaner-offset-checkpoint} per log dir
 * ({@link CleanerCheckpoint}), rewritten after each cleaning; a truncation below it lowers it.
 *
 * <p>Cleaner threads are never interrupted: an interrupt during FileChannel I/O would close a segment's
 * channel that the log shares with its readers. {@link #close} asks them to stop and they stop between chunks.
 */
public final class LogCleaner implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final int brokerId;
    private final LogManager logs;
    private final CleanerConfig config;
    private final ToLongFunction<PartitionLog> cleanableBound;
    private final LongSupplier clock;
    private final CleanerThrottler throttler;
    private final Object sleeper = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<PartitionLog> inProgress = ConcurrentHashMap.newKeySet();
    /** First dirty offset per log object; seeded from the log dir's checkpoint file on first sight. */
    private final Map<PartitionLog, Long> firstDirty = new ConcurrentHashMap<>();
    private final Map<PartitionLog, Long> tombstoneExpiry = new ConcurrentHashMap<>();
    /** Logs whose cleaning failed on I/O: not cleaned again until restart, as Kafka marks them uncleanable. */
    private final Set<PartitionLog> uncleanable = ConcurrentHashMap.newKeySet();
    private final Map<Path, Map<String, Long>> storedCheckpoints = new HashMap<>();
    private volatile boolean stopping;

    /**
     * @param cleanableBound the offset below which a log may be cleaned: its partition's high watermark (a
     *                       record above it may still be truncated, and must not erase an older value of its
     *                       key); a log without a partition should answer its log start offset
     */
    public LogCleaner(int brokerId, LogManager logs, CleanerConfig config, ToLongFunction<PartitionLog> cleanableBound,
                      LongSupplier clock) {
        this.brokerId = brokerId;
        this.logs = logs;
        this.config = config;
        this.cleanableBound = cleanableBound;
        this.clock = clock;
        this.throttler = new CleanerThrottler(config.ioMaxBytesPerSecond());
        for (Path dir : logs.logDirs()) {
            storedCheckpoints.put(dir, new CleanerCheckpoint(dir).read());
        }
    }

    /** Starts the cleaner threads (nothing when log.cleaner.enable is false). */
    public synchronized void start() {
        if (!config.enable() || !threads.isEmpty()) {
            return;
        }
        for (int i = 0; i < config.threads(); i++) {
            SegmentCleaner cleaner = new SegmentCleaner(throttler, config.dedupeBufferSize() / config.threads(),
                    config.ioBufferSize(), () -> stopping);
            Thread thread = new Thread(() -> runThread(cleaner), "broker-" + brokerId + "-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.info("Broker {}: log cleaner started with {} thread(s), backoff {} ms, throttle {} bytes/s", brokerId,
                config.threads(), config.backoffMs(), throttler.unlimited() ? "unlimited" : config.ioMaxBytesPerSecond());
    }

    private void runThread(SegmentCleaner cleaner) {
        while (!stopping) {
            boolean cleaned = false;
            try {
                cleaned = cleanDirtiest(cleaner);
            } catch (SegmentCleaner.Aborted e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Broker {}: log cleaner pass failed: {}", brokerId, e.toString(), e);
            } catch (InterruptedException e) {
                return;
            }
            if (!cleaned) {
                synchronized (sleeper) {
                    if (!stopping) {
                        try {
                            sleeper.wait(Math.max(1, config.backoffMs()));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /**
     * Cleans the dirtiest log that needs it, on the calling thread.
     *
     * @return whether a log was cleaned
     */
    boolean cleanDirtiest(SegmentCleaner cleaner) throws InterruptedException {
        long now = clock.getAsLong();
        PartitionLog best = null;
        double bestRatio = -1;
        for (PartitionLog log : logs.all()) {
            LogConfig cfg = log.config();
            if (!cfg.compact() || uncleanable.contains(log) || inProgress.contains(log)) {
                continue;
            }
            try {
                SegmentCleaner.Dirtiness d = SegmentCleaner.measure(log.cleanerView(), checkpointOf(log),
                        cleanableBound.applyAsLong(log), cfg, now);
                boolean due = d.dirtyBytes() > 0 && (d.ratio() >= cfg.minCleanableDirtyRatio()
                        || (d.firstDirtyTimestamp() >= 0 && now - d.firstDirtyTimestamp() > cfg.maxCompactionLagMs()));
                boolean tombstonesDue = tombstoneExpiry.getOrDefault(log, Long.MAX_VALUE) <= now;
                if ((due || tombstonesDue) && d.ratio() > bestRatio) {
                    best = log;
                    bestRatio = d.ratio();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Broker {}: {}-{}: measuring how dirty the log is failed: {}", brokerId, log.topic(),
                        log.partition(), e.toString());
            }
        }
        if (best == null || !inProgress.add(best)) {
            return false;
        }
        try {
            long before = checkpointOf(best);
            Optional<SegmentCleaner.Result> result = clean(cleaner, best, now);
            // No progress (nothing cleanable after all, or a swap refused): let the thread back off.
            return result.isPresent() && (result.get().firstDirtyOffset() != before
                    || result.get().bytesAfter() != result.get().bytesBefore());
        } finally {
            inProgress.remove(best);
        }
    }

    /** Cleans one log now, whatever its ratio (tests and the threads). */
    Optional<SegmentCleaner.Result> clean(SegmentCleaner cleaner, PartitionLog log, long nowMs)
            throws InterruptedException {
        try {
            long checkpoint = checkpointOf(log);
            SegmentCleaner.Result result = cleaner.clean(log, checkpoint, cleanableBound.applyAsLong(log), nowMs);
            tombstoneExpiry.put(log, result.nextTombstoneExpiry());
            if (result.firstDirtyOffset() != checkpoint) {
                firstDirty.put(log, result.firstDirtyOffset());
                writeCheckpoint(log.dir().getParent());
            }
            return Optional.of(result);
        } catch (SegmentCleaner.LogClosed e) {
            LOG.info("Broker {}: {}-{}: {}; cleaning abandoned", brokerId, log.topic(), log.partition(), e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            uncleanable.add(log);
            LOG.error("Broker {}: {}-{}: cleaning failed on I/O in {}; the log is not cleaned again until restart",
                    brokerId, log.topic(), log.partition(), log.dir(), e);
            return Optional.empty();
        }
    }

    /** The first dirty offset of {@code log}, lowered by any truncation since the last look. */
    long checkpointOf(PartitionLog log) {
        long current = firstDirty.computeIfAbsent(log, l -> {
            Map<String, Long> stored = storedCheckpoints.getOrDefault(l.dir().getParent(), Map.of());
            return stored.getOrDefault(l.dir().getFileName().toString(), l.logStartOffset());
        });
        long truncatedTo = log.takeTruncatedTo();
        long bounded = Math.min(current, Math.min(truncatedTo, log.logEndOffset()));
        if (bounded != current) {
            firstDirty.put(log, bounded);
        }
        return bounded;
    }

    private synchronized void writeCheckpoint(Path logDir) {
        Map<TopicPartitionDir, Long> entries = new LinkedHashMap<>();
        for (PartitionLog log : logs.all()) {
            Long offset = firstDirty.get(log);
            if (offset != null && log.dir().getParent().equals(logDir)) {
                entries.put(new TopicPartitionDir(log.topic(), log.partition()), offset);
            }
        }
        // Forget logs that are gone (deleted topics), so a re-created topic starts clean.
        firstDirty.keySet().retainAll(logs.all());
        tombstoneExpiry.keySet().retainAll(logs.all());
        try {
            new CleanerCheckpoint(logDir).write(entries);
        } catch (IOException e) {
            LOG.warn("Broker {}: writing the cleaner checkpoint of {} failed; a restart cleans those logs again: {}",
                    brokerId, logDir, e.toString());
        }
    }

    /** Stops the threads between chunks (a cleaning in progress is abandoned; its .cleaned files are removed). */
    @Override
    public void close() {
        stopping = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        List<Thread> running;
        synchronized (this) {
            running = List.copyOf(threads);
        }
        for (Thread t : running) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("Broker {}: log cleaner stopped", brokerId);
    }
}
