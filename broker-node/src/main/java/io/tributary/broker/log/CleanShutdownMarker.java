package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code clean-shutdown} in a partition directory: present only while the log is closed after a close that
 * flushed every segment and index. Its presence lets the next open trust the files without a CRC scan (as
 * Kafka's {@code .kafka_cleanshutdown}, but per partition: a partition closed cleanly, e.g. when its replica
 * moved away, stays fast to reopen even if the broker later crashes).
 */
final class CleanShutdownMarker {
    static final String FILE_NAME = "clean-shutdown";

    private CleanShutdownMarker() {
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE_NAME));
    }

    /** Call only after everything of the log is fsynced; the directory fsync makes the marker itself durable. */
    static void write(Path dir) throws IOException {
        Path marker = dir.resolve(FILE_NAME);
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
        AtomicFile.fsyncDirectory(dir);
    }

    /**
     * Removes the marker before the log accepts writes. The directory fsync is what makes this safe: a marker
     * that reappeared after a power loss would make the next open trust a tail written after it was removed.
     */
    static void remove(Path dir) throws IOException {
        if (Files.deleteIfExists(dir.resolve(FILE_NAME))) {
            AtomicFile.fsyncDirectory(dir);
        }
    }
}
