package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition logs of one broker across its {@code log.dirs}. Locks every log dir on construction,
 * places a new partition in the dir holding the fewest, and finds existing {@code <topic>-<p>} directories
 * with {@link #loadExisting()}. Thread-safe; opening and deleting a log happen under this object's lock.
 */
public final class LogManager implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final List<Path> logDirs;
    private volatile LogConfig defaults;
    private final List<LogDirLock> locks = new ArrayList<>();
    private final Map<TopicPartitionDir, PartitionLog> logs = new ConcurrentHashMap<>();
    private boolean closed;
    private volatile LoadProgress loadProgress = LoadProgress.NOT_STARTED;

    /**
     * @throws IllegalArgumentException naming a log dir that cannot be created or written
     * @throws IllegalStateException    naming a log dir whose lock another process holds
     */
    public LogManager(List<Path> logDirs, LogConfig defaults) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("log.dirs is empty: a broker needs at least one log dir");
        }
        this.logDirs = logDirs.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        this.defaults = defaults;
        try {
            for (Path dir : this.logDirs) {
                requireWritable(dir);
                locks.add(LogDirLock.acquire(dir));
            }
        } catch (IOException | RuntimeException e) {
            releaseLocks();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("locking log dirs " + this.logDirs + " failed", io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("log dir " + dir + " cannot be written: " + e, e);
        }
    }

    public List<Path> logDirs() {
        return logDirs;
    }

    public LogConfig defaults() {
        return defaults;
    }

    /** New broker-level defaults (dynamic broker configs); the caller re-applies each topic's overrides on top. */
    public void updateDefaults(LogConfig newDefaults) {
        defaults = newDefaults;
    }

    /** How far {@link #loadExisting()} is (read without the lock, by the readiness check while it runs). */
    public LoadProgress loadProgress() {
        return loadProgress;
    }

    /**
     * Opens every {@code <topic>-<p>} directory found in the log dirs with the default config (apply topic
     * overrides later through {@link #getOrCreate}, which updates an existing log's config). Recovery of torn
     * tails happens here.
     *
     * @return the logs found
     * @throws IllegalStateException when one partition has a directory in two log dirs
     */
    public synchronized List<PartitionLog> loadExisting() throws IOException {
        ensureOpen();
        Map<TopicPartitionDir, Path> found = new HashMap<>();
        for (Path logDir : logDirs) {
            try (Stream<Path> children = Files.list(logDir)) {
                for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                    Optional<TopicPartitionDir> tp = TopicPartitionDir.parse(child.getFileName().toString());
                    if (tp.isEmpty()) {
                        LOG.warn("log dir {}: ignoring directory {}, which is not named <topic>-<partition>",
                                logDir, child.getFileName());
                        continue;
                    }
                    Path other = found.putIfAbsent(tp.get(), child);
                    if (other != null) {
                        throw new IllegalStateException("partition " + tp.get().dirName() + " has a log in two log dirs: "
                                + other + " and " + child);
                    }
                }
            }
        }
        List<PartitionLog> opened = new ArrayList<>();
        int done = 0;
        loadProgress = new LoadProgress(0, found.size(), false);
        for (Map.Entry<TopicPartitionDir, Path> e : found.entrySet()) {
            if (!logs.containsKey(e.getKey())) {
                PartitionLog log = PartitionLog.open(e.getValue(), e.getKey().topic(), e.getKey().partition(), defaults);
                logs.put(e.getKey(), log);
                opened.add(log);
            }
            loadProgress = new LoadProgress(++done, found.size(), false);
        }
        loadProgress = new LoadProgress(done, found.size(), true);
        opened.sort(Comparator.comparing(PartitionLog::topic).thenComparingInt(PartitionLog::partition));
        LOG.info("loaded {} partition log(s) from {}", opened.size(), logDirs);
        return opened;
    }

    /**
     * The partition's log, created in the log dir with the fewest partitions if absent. {@code topicConfig}
     * overrides the defaults (segment.bytes, retention.ms, ...); for an existing log it replaces its config.
     *
     * @throws IllegalArgumentException for a topic config value that is not valid (message names key and value)
     */
    public synchronized PartitionLog getOrCreate(String topic, int partition, Map<String, String> topicConfig) {
        ensureOpen();
        TopicPartitionDir tp = new TopicPartitionDir(topic, partition);
        LogConfig config = defaults.withOverrides(topicConfig);
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            existing.updateConfig(config);
            return existing;
        }
        Path logDir = leastLoadedDir();
        try {
            PartitionLog log = PartitionLog.open(logDir.resolve(tp.dirName()), topic, partition, config);
            logs.put(tp, log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("creating the log of " + tp.dirName() + " in " + logDir + " failed", e);
        }
    }

    public Optional<PartitionLog> get(String topic, int partition) {
        return Optional.ofNullable(logs.get(new TopicPartitionDir(topic, partition)));
    }

    /**
     * Closes {@code log} and removes its directory, but only while it is still the log registered for its
     * partition. A deletion is often carried out late (queued behind the old replica's writes) and by then
     * a new topic of the same name may have its own log in the very same directory; deleting by name or by
     * path would destroy that one. A log that is no longer registered was deleted already, its files with it
     * (only a delete unregisters a log while this manager is open), so nothing is left to do, and whatever
     * now lives at its path belongs to someone else. The same holds after {@link #close}: another manager
     * may own the directory by then.
     *
     * @return whether this call deleted the log
     */
    public synchronized boolean delete(PartitionLog log) {
        TopicPartitionDir tp = new TopicPartitionDir(log.topic(), log.partition());
        if (logs.remove(tp, log)) {
            log.deleteFiles();
            return true;
        }
        PartitionLog current = logs.get(tp);
        LOG.info("{}: not deleting {}: it is no longer the registered log of its partition ({})", tp.dirName(),
                log, current == null ? "none is registered" : "the registered one is " + current);
        return false;
    }

    public Collection<PartitionLog> all() {
        return List.copyOf(logs.values());
    }

    private Path leastLoadedDir() {
        Map<Path, Integer> counts = new HashMap<>();
        logDirs.forEach(d -> counts.put(d, 0));
        for (PartitionLog log : logs.values()) {
            Path parent = log.dir().getParent();
            counts.computeIfPresent(parent, (k, v) -> v + 1);
        }
        // Ties go to the first dir listed, so placement is deterministic.
        Path best = logDirs.get(0);
        for (Path d : logDirs) {
            if (counts.get(d) < counts.get(best)) {
                best = d;
            }
        }
        return best;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log manager for " + logDirs + " is closed");
        }
    }

    /** Closes every log (flushing it) and releases the log dir locks. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PartitionLog log : logs.values()) {
            log.close();
        }
        logs.clear();
        releaseLocks();
    }

    private void releaseLocks() {
        for (LogDirLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("releasing the lock of log dir {} failed: {}", lock.dir(), e.toString());
            }
        }
        locks.clear();
    }
}
