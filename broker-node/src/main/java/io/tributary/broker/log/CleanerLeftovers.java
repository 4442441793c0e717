package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or discards a log cleaner swap that a crash cut short, before the log's segments are loaded
 * (see {@link PartitionLog#replaceSegments} for the order of the renames):
 * <ul>
 * <li>{@code *.cleaned}: the output was not complete or not yet committed; deleted.</li>
 * <li>{@code <base>.log.swap}: committed (it is renamed only once whole and fsynced, and only while the
 *     segments it replaces are still in the log): the segments it covers, {@code [base, its next offset)},
 *     are deleted wherever the crash left them, and it becomes {@code <base>.log}; its indexes are rebuilt
 *     by the load that follows.</li>
 * <li>index {@code .swap} files and {@code *.deleted} files: deleted.</li>
 * </ul>
 */
final class CleanerLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(CleanerLeftovers.class);
    private static final Pattern LOG_SWAP = Pattern.compile("(\\d{20})\\.log\\.swap");
    private static final Pattern SEGMENT_LOG = Pattern.compile("(\\d{20})\\.log");

    private CleanerLeftovers() {
    }

    static void recover(Path dir, String topicPartition) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        boolean changed = false;
        List<Long> swaps = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher swap = LOG_SWAP.matcher(name);
            if (swap.matches()) {
                swaps.add(Long.parseLong(swap.group(1)));
            } else if (name.endsWith(SegmentCleaner.CLEANED) || name.endsWith(SegmentCleaner.SWAP)
                    || name.endsWith(SegmentCleaner.DELETED)) {
                Files.deleteIfExists(file);
                changed = true;
            }
        }
        for (long base : swaps) {
            Path swapFile = dir.resolve(LogSegment.fileName(base, ".log") + SegmentCleaner.SWAP);
            long end = nextOffset(swapFile, base);
            int replaced = 0;
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file : list.toList()) {
                    Matcher m = SEGMENT_LOG.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        long segmentBase = Long.parseLong(m.group(1));
                        if (segmentBase >= base && segmentBase < end) {
                            LogSegment.deleteFiles(dir, segmentBase);
                            replaced++;
                        }
                    }
                }
            }
            LogSegment.deleteFiles(dir, base);
            Files.move(swapFile, LogSegment.logFile(dir, base), StandardCopyOption.ATOMIC_MOVE);
            changed = true;
            LOG.info("{}: completed a log cleaner swap cut short by a crash: segment {} (to offset {}) replaces {} "
                    + "segment(s)", topicPartition, base, end, replaced);
        }
        if (changed) {
            AtomicFile.fsyncDirectory(dir);
        }
    }

    /** The offset after the last whole batch of a segment file (its base offset if it has none). */
    private static long nextOffset(Path file, long base) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + " is larger than a segment can be");
            }
            ByteBuffer buf = BatchHeader.newBuffer();
            int position = 0;
            long next = base;
            BatchHeader h;
            while ((h = BatchHeader.read(ch, position, (int) size, buf)) != null && position + (long) h.sizeInBytes() <= size) {
                next = h.nextOffset();
                position += h.sizeInBytes();
            }
            return next;
        }
    }
}
