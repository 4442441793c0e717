package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/** What crashes and bad disks leave in a partition directory, made with real files. */
final class DiskFaults {
    private DiskFaults() {
    }

    /**
     * Copies the directory of a log that is still open into {@code target}: what a kill -9 at this moment
     * leaves, since the OS keeps every byte the process wrote, while the clean-shutdown marker is absent (an
     * open log has none) and the recovery point is whatever was last checkpointed.
     */
    static Path crashCopy(Path liveDir, Path target) throws Exception {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(liveDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** Flips the bits of one byte, as a bad sector or a stray write would. */
    static void flipByte(Path file, long position) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, position);
        }
    }

    /** Cuts the file to {@code size} bytes, as a write torn by a crash leaves it. */
    static void cut(Path file, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static Path segmentFile(Path dir, long baseOffset) {
        return dir.resolve(String.format("%020d.log", baseOffset));
    }
}
