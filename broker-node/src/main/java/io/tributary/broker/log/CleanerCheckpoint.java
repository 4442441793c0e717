package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cleaner-offset-checkpoint} of one log dir, in Kafka's format: a version line (0), a count line, then one
 * {@code <topic> <partition> <offset>} line per compacted log, the offset up to which that log was cleaned (its
 * first dirty offset). Rewritten whole through {@link AtomicFile} after every cleaning, so a restart resumes
 * from there instead of cleaning the whole log again. A damaged file is ignored with a WARN: that costs one
 * full cleaning, never data.
 */
final class CleanerCheckpoint {
    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(CleanerCheckpoint.class);

    private final Path file;

    CleanerCheckpoint(Path logDir) {
        this.file = logDir.resolve(FILE_NAME);
    }

    /** Partition directory name ({@code <topic>-<partition>}) -> first dirty offset. */
    Map<String, Long> read() {
        Map<String, Long> offsets = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return offsets;
        } catch (IOException e) {
            LOG.warn("cleaner checkpoint {} could not be read, compacted logs there are cleaned from their start: {}",
                    file, e.toString());
            return offsets;
        }
        try {
            if (lines.size() < 2 || !lines.get(0).trim().equals("0")) {
                throw new IllegalArgumentException("unknown version or missing count");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split(" ");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("line " + (3 + i) + " is not '<topic> <partition> <offset>'");
                }
                offsets.put(parts[0] + "-" + Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            }
        } catch (RuntimeException e) {
            LOG.warn("cleaner checkpoint {} is damaged ({}); compacted logs there are cleaned from their start",
                    file, e.toString());
            offsets.clear();
        }
        return offsets;
    }

    /** Replaces the file with these entries (topic, partition, first dirty offset). */
    void write(Map<TopicPartitionDir, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder("0\n").append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        AtomicFile.write(file, text.toString());
    }
}
