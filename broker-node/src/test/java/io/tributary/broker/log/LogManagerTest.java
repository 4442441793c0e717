package io.tributary.broker.log;

import static io.tributary.broker.log.TestBatches.batch;
import static io.tributary.broker.log.TestBatches.decode;
import static io.tributary.broker.log.TestBatches.expected;
import static io.tributary.broker.log.TestBatches.sizedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @TempDir
    Path tmp;

    @Test
    void newPartitionsGoToTheLogDirWithTheFewest() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (LogManager logs = new LogManager(List.of(a, b), LogConfig.defaults())) {
            PartitionLog p0 = logs.getOrCreate("t", 0, Map.of());
            PartitionLog p1 = logs.getOrCreate("t", 1, Map.of());
            PartitionLog p2 = logs.getOrCreate("t", 2, Map.of());
            assertEquals(a.toAbsolutePath().resolve("t-0"), p0.dir());
            assertEquals(b.toAbsolutePath().resolve("t-1"), p1.dir());
            assertEquals(a.toAbsolutePath().resolve("t-2"), p2.dir());
            assertSame(p0, logs.getOrCreate("t", 0, Map.of()));
            assertSame(p1, logs.get("t", 1).orElseThrow());
            assertTrue(logs.get("t", 9).isEmpty());
            assertEquals(3, logs.all().size());
        }
    }

    @Test
    void loadExistingFindsTopicsWithDashesDotsAndUnderscores() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (LogManager logs = new LogManager(List.of(a, b), LogConfig.defaults())) {
            logs.getOrCreate("my-topic.v2_x", 0, Map.of()).appendAsLeader(batch(1, "m", 2), 0, 0);
            logs.getOrCreate("my-topic.v2_x", 11, Map.of()).appendAsLeader(batch(2, "n", 3), 0, 0);
            logs.getOrCreate("plain", 3, Map.of());
        }
        Files.createDirectories(a.resolve("not_a_partition"));
        try (LogManager logs = new LogManager(List.of(a, b), LogConfig.defaults())) {
            List<PartitionLog> found = logs.loadExisting();
            assertEquals(List.of("my-topic.v2_x-0", "my-topic.v2_x-11", "plain-3"),
                    found.stream().map(l -> l.topic() + "-" + l.partition()).toList());
            PartitionLog p11 = logs.get("my-topic.v2_x", 11).orElseThrow();
            assertEquals(expected(0, 2, "n", 3), decode(p11.read(0, 1000, Long.MAX_VALUE).records()));
            PartitionLog again = logs.getOrCreate("my-topic.v2_x", 11, Map.of("retention.ms", "5"));
            assertSame(p11, again);
            assertEquals(5, again.config().retentionMs(), "topic overrides apply to a loaded log");
        }
    }

    @Test
    void aSecondManagerOnTheSameDirIsRefusedWithTheDirInTheMessage() {
        Path a = tmp.resolve("a");
        try (LogManager first = new LogManager(List.of(a), LogConfig.defaults())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new LogManager(List.of(tmp.resolve("other"), a), LogConfig.defaults()));
            assertTrue(e.getMessage().contains(a.toAbsolutePath().toString()) && e.getMessage().contains("another process"),
                    e.getMessage());
        }
        // Released on close, and the refused manager released the lock it had taken on "other".
        new LogManager(List.of(a, tmp.resolve("other")), LogConfig.defaults()).close();
    }

    @Test
    void aLogDirThatCannotBeWrittenIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LogManager(List.of(file.resolve("logs")), LogConfig.defaults()));
        assertTrue(e.getMessage().contains(file.resolve("logs").toString()), e.getMessage());
    }

    @Test
    void deleteRemovesTheDirectory() {
        try (LogManager logs = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults())) {
            PartitionLog log = logs.getOrCreate("t", 0, Map.of());
            log.appendAsLeader(batch(1, "x", 1), 0, 0);
            assertTrue(logs.delete(log));
            assertFalse(Files.exists(log.dir()));
            assertTrue(logs.get("t", 0).isEmpty());
            assertEquals(0, logs.getOrCreate("t", 0, Map.of()).logEndOffset(), "recreated empty");
        }
    }

    /**
     * A topic deleted and created again under the same name: the old log's deletion, queued behind its
     * replica's writes, runs after the new topic's log was created in the same directory. It must leave
     * the new log alone.
     */
    @Test
    void aDelayedDeleteOfAnOldLogLeavesTheNewLogOfTheSameNameAlone() throws Exception {
        try (LogManager logs = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults())) {
            PartitionLog old = logs.getOrCreate("t", 0, Map.of());
            old.appendAsLeader(batch(1, "old", 2), 0, 0);
            assertTrue(logs.delete(old), "the replaced topic's log goes first (the prompt path)");
            PartitionLog fresh = logs.getOrCreate("t", 0, Map.of());
            assertEquals(old.dir(), fresh.dir(), "same name, same directory");
            fresh.appendAsLeader(batch(5, "new", 3), 0, 0);

            assertFalse(logs.delete(old), "the late delete of the old log object");

            assertSame(fresh, logs.get("t", 0).orElseThrow());
            assertTrue(Files.exists(fresh.dir().resolve("00000000000000000000.log")));
            assertEquals(expected(0, 5, "new", 3), decode(fresh.read(0, 1000, Long.MAX_VALUE).records()));
            assertEquals(3, fresh.appendAsLeader(batch(9, "more", 1), 0, 0).firstOffset(), "still open for writes");
        }
        try (LogManager logs = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults())) {
            logs.loadExisting();
            assertEquals(4, logs.get("t", 0).orElseThrow().logEndOffset(), "the new log survived on disk");
        }
    }

    @Test
    void aLogOfAnotherManagerIsNotDeleted() {
        try (LogManager mine = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults());
             LogManager other = new LogManager(List.of(tmp.resolve("b")), LogConfig.defaults())) {
            PartitionLog theirs = other.getOrCreate("t", 0, Map.of());
            mine.getOrCreate("t", 0, Map.of());
            assertFalse(mine.delete(theirs));
            assertTrue(Files.exists(theirs.dir()));
            assertSame(theirs, other.get("t", 0).orElseThrow());
        }
    }

    @Test
    void closingTheManagerMarksEveryLogCleanSoTheNextStartSkipsTheScan() throws Exception {
        Path a = tmp.resolve("a");
        try (LogManager logs = new LogManager(List.of(a), LogConfig.defaults())) {
            logs.getOrCreate("t", 0, Map.of()).appendAsLeader(batch(1, "x", 2), 0, 0);
            logs.getOrCreate("t", 1, Map.of()).appendAsLeader(batch(1, "y", 3), 0, 0);
        }
        try (LogManager logs = new LogManager(List.of(a), LogConfig.defaults())) {
            for (PartitionLog log : logs.loadExisting()) {
                assertTrue(log.loadSummary().cleanShutdown(), log.toString());
                assertEquals(0, log.loadSummary().segmentsRecovered(), log.toString());
                assertEquals(log.logEndOffset(), log.recoveryPoint(), log.toString());
            }
        }
    }

    @Test
    void badTopicConfigIsRefusedNamingKeyAndValue() {
        try (LogManager logs = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> logs.getOrCreate("t", 0, Map.of("retention.ms", "soon")));
            assertEquals("topic config retention.ms=soon is not an integer", e.getMessage());
            assertTrue(logs.get("t", 0).isEmpty());
        }
    }

    @Test
    void retentionTaskRunsOverEveryLogBoundedByTheHighWatermark() {
        try (LogManager logs = new LogManager(List.of(tmp.resolve("a")), LogConfig.defaults())) {
            Map<String, String> cfg = Map.of("segment.bytes", "300", "retention.ms", "1000");
            PartitionLog p0 = logs.getOrCreate("t", 0, cfg);
            PartitionLog p1 = logs.getOrCreate("t", 1, cfg);
            for (int i = 0; i < 4; i++) {
                p0.appendAsLeader(sizedBatch(1, "r" + i, 200), 0, 0);
                p1.appendAsLeader(sizedBatch(1, "r" + i, 200), 0, 0);
            }
            RetentionTask task = new RetentionTask(logs, () -> 100_000, log -> log.partition() == 0 ? 1 : Long.MAX_VALUE);
            assertEquals(1 + 3, task.runOnce());
            assertEquals(1, p0.logStartOffset());
            assertEquals(3, p1.logStartOffset());
        }
    }
}
