package io.tributary.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable replacement of the small text files of a partition directory (checkpoints): a crash leaves either
 * the old or the new content, never a mix, and once {@link #write} returns the new content survives a power
 * loss.
 */
final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code text} to {@code <file>.tmp}, fsyncs it, renames it over {@code file} and fsyncs the
     * directory. Without the first fsync a crash could leave the renamed file empty; without the second the
     * rename itself (a directory entry) may not survive one.
     */
    static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(file.getParent());
    }

    /**
     * Makes the creations, renames and deletions of entries in {@code dir} durable: fsync of a file covers
     * its data, not the directory entry that names it.
     */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
