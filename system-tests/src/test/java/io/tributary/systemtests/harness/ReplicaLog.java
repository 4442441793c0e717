package io.tributary.systemtests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;

/**
 * One partition replica as it lies on a broker's disk ({@code <log.dirs>/<topic>-<p>/}): the record batches of
 * its {@code <base offset>.log} segments, in order, with their exact bytes, and its checkpoint files. Read-only:
 * the segment files are read as bytes and parsed in memory, so reading the replica of a running (or paused)
 * broker never touches its files. A batch still being written at the tail of the active segment is left out.
 */
public final class ReplicaLog {

    /** One v2 record batch as stored: its offsets, the leader epoch stamped on it, and its bytes. */
    public record Batch(String segment, long baseOffset, long lastOffset, int partitionLeaderEpoch, boolean crcValid, byte[] bytes) {

        @Override
        public String toString() {
            return "batch " + baseOffset + ".." + lastOffset + " (leader epoch " + partitionLeaderEpoch + ", " + bytes.length
                    + " bytes, crc " + (crcValid ? "ok" : "BAD") + ", in " + segment + ")";
        }
    }

    private final Path dir;
    private final List<Batch> batches;
    private final long newestSegmentBase;

    private ReplicaLog(Path dir, List<Batch> batches, long newestSegmentBase) {
        this.dir = dir;
        this.batches = batches;
        this.newestSegmentBase = newestSegmentBase;
    }

    public static ReplicaLog read(Path dir) {
        List<Batch> batches = new ArrayList<>();
        List<Path> segments = segments(dir);
        try {
            for (Path segment : segments) {
                batches.addAll(batchesOf(segment));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replica in " + dir, e);
        }
        long newestBase = segments.isEmpty() ? 0 : baseOffsetOf(segments.get(segments.size() - 1));
        return new ReplicaLog(dir, List.copyOf(batches), newestBase);
    }

    /**
     * The log end offset of the replica in {@code dir}, reading only its newest segment(s): the offset after
     * the last whole batch, or the newest segment's base offset when that segment is still empty.
     */
    public static long logEndOffsetOf(Path dir) {
        List<Path> segments = segments(dir);
        if (segments.isEmpty()) {
            return 0;
        }
        try {
            List<Batch> newest = batchesOf(segments.get(segments.size() - 1));
            return newest.isEmpty() ? baseOffsetOf(segments.get(segments.size() - 1)) : newest.get(newest.size() - 1).lastOffset() + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the replica in " + dir, e);
        }
    }

    private static List<Path> segments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the replica in " + dir, e);
        }
    }

    private static long baseOffsetOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    private static List<Batch> batchesOf(Path segment) throws IOException {
        List<Batch> batches = new ArrayList<>();
        byte[] content = Files.readAllBytes(segment);
        int position = 0;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(content)).batches()) {
            int size = batch.sizeInBytes();
            batches.add(new Batch(segment.getFileName().toString(), batch.baseOffset(), batch.lastOffset(),
                    batch.partitionLeaderEpoch(), batch.isValid(), Arrays.copyOfRange(content, position, position + size)));
            position += size;
        }
        return batches;
    }

    public Path dir() {
        return dir;
    }

    public List<Batch> batches() {
        return batches;
    }

    /** The offset after the last whole batch, or the newest segment's base offset when that is still empty. */
    public long logEndOffset() {
        return Math.max(newestSegmentBase, batches.isEmpty() ? 0 : batches.get(batches.size() - 1).lastOffset() + 1);
    }

    /** The batches that start below {@code offset}. */
    public List<Batch> batchesBelow(long offset) {
        return batches.stream().filter(b -> b.baseOffset() < offset).toList();
    }

    /**
     * What is wrong with the replica on its own: batches must follow each other with no gap or overlap
     * (each starts right after the previous one), and every batch's CRC must hold. Empty when all is well.
     */
    public List<String> selfProblems() {
        List<String> problems = new ArrayList<>();
        long expected = batches.isEmpty() ? 0 : batches.get(0).baseOffset();
        for (Batch b : batches) {
            if (b.baseOffset() != expected) {
                problems.add(dir + ": " + b + " follows a batch that ended at " + (expected - 1));
            }
            if (!b.crcValid()) {
                problems.add(dir + ": " + b + " fails its CRC");
            }
            expected = b.lastOffset() + 1;
        }
        return problems;
    }

    /**
     * The first difference between this replica and {@code other} among the batches below {@code upTo}, or
     * null when both hold exactly the same batches, byte for byte (offsets, leader epochs, records), there.
     */
    public String firstDifferenceBelow(long upTo, ReplicaLog other) {
        List<Batch> mine = batchesBelow(upTo);
        List<Batch> theirs = other.batchesBelow(upTo);
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            Batch a = mine.get(i);
            Batch b = theirs.get(i);
            if (a.baseOffset() != b.baseOffset() || !Arrays.equals(a.bytes(), b.bytes())) {
                return "batch #" + i + " differs: " + dir + " has " + a + ", " + other.dir + " has " + b;
            }
        }
        if (mine.size() != theirs.size()) {
            return dir + " has " + mine.size() + " batches below offset " + upTo + " (ending at " + endOf(mine) + "), "
                    + other.dir + " has " + theirs.size() + " (ending at " + endOf(theirs) + ")";
        }
        return null;
    }

    private static long endOf(List<Batch> batches) {
        return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).lastOffset() + 1;
    }

    /** The checkpointed high watermark ({@code high-watermark}), if the file exists. */
    public OptionalLong highWatermarkCheckpoint() {
        Path file = dir.resolve("high-watermark");
        try {
            return Files.exists(file) ? OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()))
                    : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Leader epoch -> its start offset, from {@code leader-epoch-checkpoint} (version line, count line, "epoch offset" lines). */
    public TreeMap<Integer, Long> leaderEpochCheckpoint() {
        Path file = dir.resolve("leader-epoch-checkpoint");
        TreeMap<Integer, Long> epochs = new TreeMap<>();
        try {
            if (!Files.exists(file)) {
                return epochs;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                String[] parts = line.trim().split("\\s+");
                epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
            return epochs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return dir + ": " + batches.size() + " batches, log end offset " + logEndOffset();
    }
}
