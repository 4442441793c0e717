package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open path of a partition log: finds its segments and decides how much of them to check, as Kafka's
 * log loading does.
 * <ul>
 * <li>After a clean shutdown ({@link CleanShutdownMarker} present) every segment is trusted: indexes are
 *     kept after cheap checks and only the batch headers after each segment's last index entry are read.
 *     A segment that fails those checks is recovered like after a crash.</li>
 * <li>After a crash (no marker) the segments wholly below the {@link RecoveryPointCheckpoint recovery point}
 *     are trusted the same way, since they were fsynced. Every later segment, and always the last one (a
 *     crash may have torn it anywhere), has every batch validated (sizes, offsets, CRC); the log is
 *     truncated at the first bad batch and the segments after it are deleted, since they were written after
 *     it and are just as unflushed. Replication fetches whatever was cut.</li>
 * </ul>
 * Finally the marker is removed (durably) before the log is handed out for writing.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    private static final Pattern LOG_FILE = Pattern.compile("(\\d{20})\\.log");

    private LogLoader() {
    }

    /**
     * What an open found and did, for the log line and for tests and operators asking why a start was slow.
     *
     * @param cleanShutdown     the clean-shutdown marker was present
     * @param storedRecoveryPoint the recovery point read from disk, empty when there was none
     * @param segmentsLoaded    segments in the log after loading
     * @param segmentsRecovered segments whose every batch was read and CRC-checked
     * @param bytesTruncated    bytes cut off at the first bad batch, over all segments
     * @param segmentsDeleted   segments deleted because they followed a bad batch
     * @param durationMs        wall time of the load
     */
    record Summary(boolean cleanShutdown, OptionalLong storedRecoveryPoint, int segmentsLoaded,
                   int segmentsRecovered, long bytesTruncated, int segmentsDeleted, long durationMs) {
    }

    /** Loaded segments (oldest first, never empty), the recovery point to continue from, and the summary. */
    record Loaded(List<LogSegment> segments, long recoveryPoint, Summary summary) {
    }

    static Loaded load(Path dir, String topicPartition, LogConfig config, RecoveryPointCheckpoint checkpoint)
            throws IOException {
        long startNanos = System.nanoTime();
        Files.createDirectories(dir);
        CleanerLeftovers.recover(dir, topicPartition); // a log cleaner swap cut short by a crash
        List<Long> baseOffsets = baseOffsets(dir);
        OptionalLong stored = checkpoint.read();
        boolean clean = CleanShutdownMarker.exists(dir);
        long recoveryPoint = stored.orElse(0L);
        List<LogSegment> opened = new ArrayList<>();
        int recovered = 0;
        long truncated = 0;
        int deleted = 0;
        try {
            if (baseOffsets.isEmpty()) {
                opened.add(LogSegment.create(dir, 0));
            }
            for (int i = 0; i < baseOffsets.size(); i++) {
                long base = baseOffsets.get(i);
                boolean last = i == baseOffsets.size() - 1;
                // A sealed segment is wholly below the recovery point when the next one starts at or below it.
                boolean flushed = clean || (!last && baseOffsets.get(i + 1) <= recoveryPoint);
                LogSegment segment = LogSegment.open(dir, base);
                opened.add(segment);
                if (flushed && segment.loadTrusted(topicPartition)) {
                    continue;
                }
                recovered++;
                long cut = segment.recover(topicPartition, config.indexIntervalBytes());
                truncated += cut;
                if (cut > 0 && !flushed && !last) {
                    // Later segments were written after the bad batch and are no more durable than it was.
                    for (long later : baseOffsets.subList(i + 1, baseOffsets.size())) {
                        LogSegment.deleteFiles(dir, later);
                        deleted++;
                    }
                    LOG.warn("{}: deleted {} segment(s) after the bad batch in segment {}, from offset {} on",
                            topicPartition, deleted, base, baseOffsets.get(i + 1));
                    break;
                }
            }
            long logEndOffset = opened.get(opened.size() - 1).nextOffset();
            // Clean: everything was flushed at close. Unclean: recovered bytes may be in the page cache only
            // (a killed process, a live OS), so the point stays until the next flush; it only moves down here.
            long newRecoveryPoint = clean ? logEndOffset : Math.min(recoveryPoint, logEndOffset);
            if (stored.orElse(0L) != newRecoveryPoint) { // an absent file means 0 too
                checkpoint.write(newRecoveryPoint);
            }
            CleanShutdownMarker.remove(dir);
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
            Summary summary = new Summary(clean, stored, opened.size(), recovered, truncated, deleted, durationMs);
            logSummary(topicPartition, dir, summary, opened.get(0).baseOffset(), logEndOffset, newRecoveryPoint,
                    baseOffsets.isEmpty());
            return new Loaded(opened, newRecoveryPoint, summary);
        } catch (IOException | RuntimeException e) {
            opened.forEach(LogSegment::closeQuietly);
            throw e;
        }
    }

    private static void logSummary(String topicPartition, Path dir, Summary s, long logStart, long logEnd,
                                   long recoveryPoint, boolean created) {
        if (created) {
            LOG.info("{}: created an empty log in {} in {} ms", topicPartition, dir, s.durationMs());
        } else if (s.cleanShutdown() && s.segmentsRecovered() == 0) {
            LOG.info("{}: loaded log in {} after a clean shutdown in {} ms without a CRC scan: {} segment(s), "
                            + "log start offset {}, log end offset {}", topicPartition, dir, s.durationMs(),
                    s.segmentsLoaded(), logStart, logEnd);
        } else {
            LOG.info("{}: recovered log in {} after {} in {} ms: CRC-checked {} segment(s) from recovery point {}, "
                            + "truncated {} bytes, deleted {} segment(s); {} segment(s), log start offset {}, "
                            + "log end offset {}, recovery point now {}", topicPartition, dir,
                    s.cleanShutdown() ? "a clean shutdown with damaged files" : "an unclean shutdown", s.durationMs(),
                    s.segmentsRecovered(), s.storedRecoveryPoint().isPresent() ? s.storedRecoveryPoint().getAsLong()
                            : "none (all)", s.bytesTruncated(), s.segmentsDeleted(), s.segmentsLoaded(), logStart,
                    logEnd, recoveryPoint);
        }
    }

    private static List<Long> baseOffsets(Path dir) throws IOException {
        List<Long> baseOffsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                Matcher m = LOG_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    baseOffsets.add(Long.parseLong(m.group(1)));
                }
            });
        }
        baseOffsets.sort(Comparator.naturalOrder());
        return baseOffsets;
    }
}
