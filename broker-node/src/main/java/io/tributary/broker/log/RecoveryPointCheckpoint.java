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
 * The partition's recovery point on disk: {@code recovery-point-checkpoint} in the partition directory, two
 * lines, a version (0) and the offset below which every byte of the log is known to be fsynced. After a crash
 * only the segments from the one holding this offset onwards need a CRC scan (Kafka keeps the same number per
 * partition in its log dir's {@code recovery-point-offset-checkpoint}; one file per partition here, so a
 * partition's directory is self-describing and one partition's write never rewrites another's line).
 *
 * <p>Correctness only needs the stored offset never to be ahead of what is flushed: an offset that lags (a
 * lost rename, a missing or unreadable file, read as absent) only makes the next recovery scan more.
 */
final class RecoveryPointCheckpoint {
    static final String FILE_NAME = "recovery-point-checkpoint";
    private static final String VERSION = "0";
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPointCheckpoint.class);

    private final Path file;
    private final String topicPartition;

    RecoveryPointCheckpoint(Path dir, String topicPartition) {
        this.file = dir.resolve(FILE_NAME);
        this.topicPartition = topicPartition;
    }

    Path file() {
        return file;
    }

    /** The stored recovery point; empty when there is no file or it cannot be read (then nothing is trusted). */
    OptionalLong read() throws IOException {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            if (lines.size() != 2 || !lines.get(0).trim().equals(VERSION)) {
                throw new IllegalArgumentException("expected 2 lines, version " + VERSION + ", got " + lines);
            }
            long offset = Long.parseLong(lines.get(1).trim());
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset " + offset);
            }
            return OptionalLong.of(offset);
        } catch (RuntimeException e) {
            // Written atomically, so this is outside damage; recovering from offset 0 is slow but safe.
            LOG.warn("{}: ignoring unreadable {} ({}); the whole log will be validated", topicPartition, file,
                    e.toString());
            return OptionalLong.empty();
        }
    }

    /** Replaces the stored recovery point durably (see {@link AtomicFile#write}). */
    void write(long offset) throws IOException {
        AtomicFile.write(file, VERSION + "\n" + offset + "\n");
    }
}
