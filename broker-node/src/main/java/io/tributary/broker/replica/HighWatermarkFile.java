package io.tributary.broker.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The high watermark checkpoint of one partition replica, {@code high-watermark} in its directory, so a
 * restarted replica (and a replica that becomes leader after a restart) knows what was committed and does not
 * expose, or wait for, more than it should. Written atomically (tmp, fsync, rename).
 */
final class HighWatermarkFile {

    static final String FILE_NAME = "high-watermark";

    private HighWatermarkFile() {
    }

    static OptionalLong read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // damaged from outside: the high watermark is learnt again from the leader
        }
    }

    static void write(Path dir, long highWatermark) {
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, highWatermark + "\n", StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the high watermark checkpoint in " + dir, e);
        }
    }
}
