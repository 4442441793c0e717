package io.tributary.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per replica, the first offset written in each leader epoch, kept in {@code leader-epoch-checkpoint} in the
 * partition directory (Kafka's text format: version line, count line, then "epoch startOffset" lines) so a
 * replica that rejoins can ask the leader where its epochs diverged and truncate (KIP-101).
 * {@link PartitionLog} keeps it in step with appends, truncation and retention; lookups are synchronized
 * and cheap, so any thread may call {@link #endOffsetFor}.
 */
public final class LeaderEpochCache {
    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final Path file;
    private final String topicPartition;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    private LeaderEpochCache(Path file, String topicPartition) {
        this.file = file;
        this.topicPartition = topicPartition;
    }

    static LeaderEpochCache load(Path dir, String topicPartition) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME), topicPartition);
        if (Files.exists(cache.file)) {
            List<String> lines = Files.readAllLines(cache.file, StandardCharsets.UTF_8);
            try {
                if (lines.size() < 2 || !lines.get(0).trim().equals("0")
                        || Integer.parseInt(lines.get(1).trim()) != lines.size() - 2) {
                    throw new IllegalArgumentException("bad header");
                }
                for (String line : lines.subList(2, lines.size())) {
                    String[] parts = line.trim().split("\\s+");
                    cache.epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                }
            } catch (RuntimeException e) {
                // The file is rewritten atomically, so this is outside damage; start over rather than trust it.
                LOG.warn("{}: ignoring unreadable {} ({}); epochs will be learnt again from new appends",
                        topicPartition, cache.file, e.toString());
                cache.epochs.clear();
            }
        }
        return cache;
    }

    /** Records that {@code epoch} starts at {@code startOffset}; a known or older epoch changes nothing. */
    synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0 || (!epochs.isEmpty() && epoch <= epochs.lastKey())) {
            return;
        }
        epochs.put(epoch, startOffset);
        LOG.info("{}: leader epoch {} starts at offset {}", topicPartition, epoch, startOffset);
        write();
    }

    /** Forgets epochs that start at or after {@code endOffset}: the log was truncated there. */
    synchronized void truncateFromEnd(long endOffset) {
        if (epochs.values().removeIf(start -> start >= endOffset)) {
            write();
        }
    }

    /** The log now starts at {@code startOffset}: epochs wholly below it go, the one spanning it starts there. */
    synchronized void truncateFromStart(long startOffset) {
        Map.Entry<Integer, Long> floor = null;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= startOffset) {
                floor = e;
            }
        }
        if (floor == null || (floor.getKey().equals(epochs.firstKey()) && floor.getValue() == startOffset)) {
            return;
        }
        int keep = floor.getKey();
        epochs.headMap(keep, false).clear();
        epochs.put(keep, startOffset);
        write();
    }

    /** Forgets every epoch: the log was emptied and restarts elsewhere. */
    synchronized void clear() {
        if (!epochs.isEmpty()) {
            epochs.clear();
            write();
        }
    }

    public synchronized OptionalInt latestEpoch() {
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.lastKey());
    }

    /** Epoch -> start offset, oldest first. */
    public synchronized List<Map.Entry<Integer, Long>> entries() {
        return List.copyOf(new ArrayList<>(epochs.entrySet()));
    }

    /**
     * KIP-101/KIP-279 lookup: for the latest epoch, the log end offset; for an older one, the start offset of
     * the next higher epoch, paired with the largest known epoch at or below the requested one (or the
     * requested epoch itself when it predates every known epoch); UNDEFINED when it is newer than all.
     */
    public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || epochs.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (requestedEpoch == epochs.lastKey()) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        return new EpochEndOffset(floor == null ? requestedEpoch : floor.getKey(), higher.getValue());
    }

    /** Replaces the file atomically and durably, so a crash leaves the old or the new version. */
    private void write() {
        StringBuilder text = new StringBuilder("0\n").append(epochs.size()).append('\n');
        epochs.forEach((epoch, start) -> text.append(epoch).append(' ').append(start).append('\n'));
        try {
            AtomicFile.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " of " + topicPartition + " failed", e);
        }
    }
}
