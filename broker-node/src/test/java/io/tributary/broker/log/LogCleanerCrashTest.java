package io.tributary.broker.log;

import static io.tributary.broker.log.CompactedLogs.KeyedRec;
import static io.tributary.broker.log.CompactedLogs.files;
import static io.tributary.broker.log.CompactedLogs.keyed;
import static io.tributary.broker.log.CompactedLogs.latestPerKey;
import static io.tributary.broker.log.CompactedLogs.one;
import static io.tributary.broker.log.CompactedLogs.readAll;
import static io.tributary.broker.log.CompactedLogs.segmentCleaner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at each step of a cleaner swap ({@link PartitionLog#replaceSegments}) leaves a directory that opens to a
 * whole log: the old segments (the swap had not committed) or the cleaned one (it had), never a mix and never a
 * lost record. The directories are made from a real log before and after a real cleaning, with the files of
 * each step renamed as the swap renames them.
 */
class LogCleanerCrashTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path tmp;

    enum CrashPoint {
        WHILE_WRITING_CLEANED(false),
        CLEANED_WRITTEN(false),
        INDEXES_RENAMED_TO_SWAP(false),
        ALL_RENAMED_TO_SWAP(true),
        SOME_OLD_SEGMENTS_RENAMED_TO_DELETED(true),
        ALL_OLD_SEGMENTS_RENAMED_TO_DELETED(true),
        SWAP_INDEXES_LIVE_LOG_STILL_SWAP(true),
        SWAPPED_BEFORE_DELETED_FILES_REMOVED(true);

        final boolean committed;

        CrashPoint(boolean committed) {
            this.committed = committed;
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashBetweenSwapStepsRecoversAWholeLog(CrashPoint crash) throws Exception {
        Path before = tmp.resolve("before/c-0");
        Path after = tmp.resolve("after/c-0");
        List<KeyedRec> written = new ArrayList<>();
        List<Long> oldSegments;
        long cleanedBase;
        try (LogManager manager = new LogManager(List.of(tmp.resolve("live")), LogConfig.defaults())) {
            // Small segments rolled by time; segment.bytes large enough that the closed ones form one group.
            PartitionLog log = manager.getOrCreate("c", 0, Map.of("cleanup.policy", "compact", "segment.ms", "1000",
                    "segment.bytes", "1048576"));
            for (int i = 0; i < 40; i++) {
                long ts = T0 + 2000L * i;
                long first = log.appendAsLeader(keyed(ts, List.of("k" + (i % 7), "j" + (i % 3)), List.of("v" + i, "w" + i)), 0, ts).firstOffset();
                written.add(new KeyedRec(first, "k" + (i % 7), "v" + i));
                written.add(new KeyedRec(first + 1, "j" + (i % 3), "w" + i));
            }
            long m = log.appendAsLeader(one(T0 + 2 * DAY, "marker", "m"), 0, T0 + 2 * DAY).firstOffset();
            written.add(new KeyedRec(m, "marker", "m"));
            oldSegments = log.segmentBaseOffsets().subList(0, log.segmentCount() - 1);
            assertTrue(oldSegments.size() > 10);
            log.flush();
            DiskFaults.crashCopy(log.dir(), before);
            CompactedLogs.cleaner(manager, T0 + 3 * DAY).clean(segmentCleaner(), log, T0 + 3 * DAY).orElseThrow();
            assertEquals(2, log.segmentCount(), "one cleaned group and the active segment");
            cleanedBase = log.segmentBaseOffsets().get(0);
            DiskFaults.crashCopy(log.dir(), after);
        }
        assertEquals(oldSegments.get(0), cleanedBase);

        Path dir = tmp.resolve("crashed/c-0");
        DiskFaults.crashCopy(before, dir);
        Files.deleteIfExists(dir.resolve(CleanShutdownMarker.FILE_NAME)); // copies of an open log have none
        String base = LogSegment.fileName(cleanedBase, "");
        List<String> suffixes = List.of(".index", ".timeindex", ".log");
        switch (crash) {
            case WHILE_WRITING_CLEANED -> {
                copy(after, base + ".index", dir, base + ".index.cleaned");
                Path log = dir.resolve(base + ".log.cleaned");
                copy(after, base + ".log", dir, base + ".log.cleaned");
                try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(ch.size() / 2);
                }
            }
            case CLEANED_WRITTEN -> suffixes.forEach(s -> copy(after, base + s, dir, base + s + ".cleaned"));
            case INDEXES_RENAMED_TO_SWAP -> {
                copy(after, base + ".index", dir, base + ".index.swap");
                copy(after, base + ".timeindex", dir, base + ".timeindex.swap");
                copy(after, base + ".log", dir, base + ".log.cleaned");
            }
            case ALL_RENAMED_TO_SWAP -> suffixes.forEach(s -> copy(after, base + s, dir, base + s + ".swap"));
            case SOME_OLD_SEGMENTS_RENAMED_TO_DELETED -> {
                suffixes.forEach(s -> copy(after, base + s, dir, base + s + ".swap"));
                renameToDeleted(dir, oldSegments.subList(0, oldSegments.size() / 2));
            }
            case ALL_OLD_SEGMENTS_RENAMED_TO_DELETED -> {
                suffixes.forEach(s -> copy(after, base + s, dir, base + s + ".swap"));
                renameToDeleted(dir, oldSegments);
            }
            case SWAP_INDEXES_LIVE_LOG_STILL_SWAP -> {
                renameToDeleted(dir, oldSegments);
                copy(after, base + ".index", dir, base + ".index");
                copy(after, base + ".timeindex", dir, base + ".timeindex");
                copy(after, base + ".log", dir, base + ".log.swap");
            }
            case SWAPPED_BEFORE_DELETED_FILES_REMOVED -> {
                renameToDeleted(dir, oldSegments);
                suffixes.forEach(s -> copy(after, base + s, dir, base + s));
            }
        }

        try (PartitionLog log = PartitionLog.open(dir, "c", 0, LogConfig.defaults().withOverrides(Map.of("cleanup.policy", "compact")))) {
            List<KeyedRec> read = readAll(log);
            assertEquals(crash.committed ? latestPerKey(written) : written, read);
            assertEquals(written.get(written.size() - 1).offset() + 1, log.logEndOffset());
            assertEquals(crash.committed ? 2 : oldSegments.size() + 1, log.segmentCount());
            for (String f : files(dir)) {
                assertFalse(f.endsWith(".cleaned") || f.endsWith(".swap") || f.endsWith(".deleted"), f);
            }
        }
    }

    private static void copy(Path fromDir, String from, Path toDir, String to) {
        try {
            Files.copy(fromDir.resolve(from), toDir.resolve(to), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void renameToDeleted(Path dir, List<Long> bases) throws Exception {
        for (long b : bases) {
            for (String s : List.of(".index", ".timeindex", ".log")) {
                Path f = dir.resolve(LogSegment.fileName(b, s));
                if (Files.exists(f)) {
                    Files.move(f, dir.resolve(f.getFileName() + ".deleted"));
                }
            }
        }
    }
}
