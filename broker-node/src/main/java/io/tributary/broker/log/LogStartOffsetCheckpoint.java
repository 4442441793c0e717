package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log start offset inside the first segment, set by DeleteRecords: {@code log-start-offset-checkpoint} in the
 * partition directory, a version (0) and the offset. Without it the log starts at its first segment's base offset;
 * with it, records below the stored offset stay unreadable after a restart although their segment is still on disk
 * (Kafka keeps the same number per log dir in {@code log-start-offset-checkpoint}).
 */
final class LogStartOffsetCheckpoint {
    static final String FILE_NAME = "log-start-offset-checkpoint";
    private static final String VERSION = "0";
    private static final Logger LOG = LoggerFactory.getLogger(LogStartOffsetCheckpoint.class);

    private LogStartOffsetCheckpoint() {
    }

    /** The stored offset, or empty when there is none or it cannot be read (the first segment's base applies). */
    static OptionalLong read(Path dir, String topicPartition) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() != 2 || !lines.get(0).trim().equals(VERSION)) {
                throw new IllegalArgumentException("expected 2 lines, version " + VERSION + ", got " + lines);
            }
            return OptionalLong.of(Long.parseLong(lines.get(1).trim()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: ignoring unreadable {} ({}); the log starts at its first segment", topicPartition, file, e.toString());
            return OptionalLong.empty();
        }
    }

    /** Replaces the stored offset durably (see {@link AtomicFile#write}). */
    static void write(Path dir, long offset) throws IOException {
        AtomicFile.write(dir.resolve(FILE_NAME), VERSION + "\n" + offset + "\n");
    }
}
