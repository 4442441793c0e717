package io.tributary.broker.replica;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The topic id a partition directory belongs to, in {@code partition.metadata} beside its segments (as
 * Kafka does since KIP-516). A topic deleted while this broker was down and then created again under the
 * same name has a new id, so its old directory is recognised as stale instead of being served as the
 * new topic's data.
 */
final class PartitionMetadataFile {

    static final String NAME = "partition.metadata";

    private PartitionMetadataFile() {
    }

    static Optional<String> readTopicId(Path partitionDir) throws IOException {
        Path file = partitionDir.resolve(NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("topic_id:")) {
                return Optional.of(line.substring("topic_id:".length()).trim());
            }
        }
        return Optional.empty();
    }

    /** Written to a temporary file and renamed, so a crash never leaves a half-written id. */
    static void write(Path partitionDir, String topicId) throws IOException {
        Path temp = partitionDir.resolve(NAME + ".tmp");
        Files.writeString(temp, "version: 0\ntopic_id: " + topicId + "\n", StandardCharsets.UTF_8);
        Files.move(temp, partitionDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
