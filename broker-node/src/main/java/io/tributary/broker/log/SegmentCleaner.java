package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleaning of one compacted log, off to the side of its appends and reads:
 * <ol>
 * <li>builds a key -> latest offset {@link OffsetMap} over the dirty part, whole segments from the first dirty
 *     offset on, never the active segment, never past the cleanable bound (the high watermark: records a new
 *     leader might truncate must not erase older values of their keys) nor into segments younger than
 *     min.compaction.lag.ms;</li>
 * <li>rewrites every closed segment below the map's end, grouped so that a group's original bytes fit in
 *     segment.bytes (as Kafka groups them, so a log does not end in thousands of tiny files), keeping only
 *     records that are the latest for their key. Batches are rewritten by the Kafka codec's
 *     {@code MemoryRecords.filterTo}, which keeps a v2 batch's base offset, last offset (so producer sequences
 *     stay right), producer fields and leader epoch; kept records keep their offsets. A batch left empty is
 *     dropped, except the last batch of each group (so the group still ends where it ended and the log's
 *     offsets stay continuous across segments) and the last batch of each idempotent producer (so a
 *     restart rebuilds its sequence from the log, as Kafka's cleaner keeps it);</li>
 * <li>tombstones (null values) get a delete horizon (KIP-534: now + delete.retention.ms, stored in the batch)
 *     when first rewritten, and are dropped by the first cleaning after it;</li>
 * <li>each group's output {@code .cleaned} files are fsynced and swapped in by
 *     {@link PartitionLog#replaceSegments}, under the log's lock only for the renames.</li>
 * </ol>
 */
final class SegmentCleaner {
    static final String CLEANED = ".cleaned";
    static final String SWAP = ".swap";
    static final String DELETED = ".deleted";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCleaner.class);

    /** Thrown between chunks when the broker stops; the cleaning is abandoned without harm. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super("log cleaner stopping", null, false, false);
        }
    }

    /** Thrown between chunks when the log being cleaned was closed (deleted topic, shutdown). */
    static final class LogClosed extends RuntimeException {
        LogClosed(String name) {
            super("log " + name + " was closed while it was cleaned", null, false, false);
        }
    }

    /**
     * What a cleaning did.
     *
     * @param firstDirtyOffset    where the next cleaning's dirty part starts (the map's end)
     * @param cleanedUpTo         the end of the rewritten segments (equal to firstDirtyOffset unless aborted)
     * @param bytesBefore         bytes of the rewritten segments before
     * @param bytesAfter          and after
     * @param recordsRemoved      records dropped (superseded, expired tombstones, null keys)
     * @param nextTombstoneExpiry the earliest delete horizon of a tombstone kept, Long.MAX_VALUE if none
     * @param swapped             false when the log changed meanwhile (truncation, retention, deletion) and
     *                            nothing more was swapped in
     */
    record Result(long firstDirtyOffset, long cleanedUpTo, long bytesBefore, long bytesAfter, long recordsRemoved,
                  long nextTombstoneExpiry, boolean swapped) {
    }

    /**
     * How dirty a log is, from segment sizes only.
     *
     * @param firstDirtyOffset   the first dirty offset used (the checkpoint, bounded by the log start and end)
     * @param cleanBytes         bytes of closed segments below it
     * @param dirtyBytes         bytes of closed, cleanable segments from it on
     * @param firstDirtyTimestamp the first batch timestamp of the first dirty cleanable segment, -1 if none
     */
    record Dirtiness(long firstDirtyOffset, long cleanBytes, long dirtyBytes, long firstDirtyTimestamp) {
        double ratio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    private final CleanerThrottler throttler;
    private final long mapBufferBytes;
    private final int ioBufferSize;
    private final BooleanSupplier stopping;
    /** The log being cleaned by this (single-threaded) cleaner, checked between chunks. */
    private PartitionLog current;

    SegmentCleaner(CleanerThrottler throttler, long mapBufferBytes, int ioBufferSize, BooleanSupplier stopping) {
        this.throttler = throttler;
        this.mapBufferBytes = mapBufferBytes;
        this.ioBufferSize = ioBufferSize;
        this.stopping = stopping;
    }

    /** The offset where segment {@code i} ends: the next segment's base offset. */
    private static long segmentEnd(LogSegment[] segs, int i) {
        return segs[i + 1].baseOffset();
    }

    /**
     * The number of closed segments (from the oldest) wholly below the cleanable bound: below
     * {@code upperBound} (the high watermark) and, with min.compaction.lag.ms, older than that lag.
     */
    private static int cleanableSegments(LogSegment[] segs, long firstDirty, long upperBound, LogConfig cfg,
                                         long nowMs) throws IOException {
        int n = 0;
        while (n < segs.length - 1 && segmentEnd(segs, n) <= upperBound) {
            if (cfg.minCompactionLagMs() > 0 && segmentEnd(segs, n) > firstDirty
                    && segs[n].largestTimestamp() > nowMs - cfg.minCompactionLagMs()) {
                break;
            }
            n++;
        }
        return n;
    }

    static Dirtiness measure(PartitionLog.CleanerView view, long checkpoint, long upperBound, LogConfig cfg,
                             long nowMs) throws IOException {
        LogSegment[] segs = view.segments();
        long firstDirty = Math.max(checkpoint, view.logStartOffset());
        int cleanable = cleanableSegments(segs, firstDirty, upperBound, cfg, nowMs);
        long clean = 0;
        long dirty = 0;
        long firstDirtyTimestamp = -1;
        for (int i = 0; i < cleanable; i++) {
            if (segmentEnd(segs, i) <= firstDirty) {
                clean += segs[i].sizeInBytes();
            } else {
                if (dirty == 0 && segs[i].sizeInBytes() > 0) {
                    firstDirtyTimestamp = segs[i].firstBatchTimestamp();
                }
                dirty += segs[i].sizeInBytes();
            }
        }
        return new Dirtiness(firstDirty, clean, dirty, firstDirtyTimestamp);
    }

    /**
     * Cleans {@code log} from {@code checkpoint} (its first dirty offset) as described on the class.
     *
     * @param upperBound nothing at or above this offset is cleaned or used to clean (the high watermark)
     * @return empty of work when there was nothing cleanable
     */
    Result clean(PartitionLog log, long checkpoint, long upperBound, long nowMs) throws IOException, InterruptedException {
        current = log;
        try {
            return cleanLog(log, checkpoint, upperBound, nowMs);
        } finally {
            current = null;
        }
    }

    private Result cleanLog(PartitionLog log, long checkpoint, long upperBound, long nowMs)
            throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        String name = log.topic() + "-" + log.partition();
        LogConfig cfg = log.config();
        PartitionLog.CleanerView view = log.cleanerView();
        LogSegment[] segs = view.segments();
        long firstDirty = Math.max(checkpoint, view.logStartOffset());
        int cleanable = cleanableSegments(segs, firstDirty, upperBound, cfg, nowMs);

        // 1. The map over whole dirty segments, as many as it holds (at least one, as Kafka).
        long dirtyOffsets = 0;
        for (int i = 0; i < cleanable; i++) {
            if (segmentEnd(segs, i) > firstDirty) {
                dirtyOffsets += segmentEnd(segs, i) - Math.max(firstDirty, segs[i].baseOffset());
            }
        }
        OffsetMap map = new OffsetMap((int) Math.max(1, Math.min(OffsetMap.capacityFor(mapBufferBytes), dirtyOffsets)));
        long mapEnd = Math.min(firstDirty, cleanable == 0 ? firstDirty : segmentEnd(segs, cleanable - 1));
        for (int i = 0; i < cleanable; i++) {
            long end = segmentEnd(segs, i);
            if (end <= firstDirty) {
                continue;
            }
            long upperBoundOfRecords = end - Math.max(firstDirty, segs[i].baseOffset());
            if (map.size() > 0 && map.size() + upperBoundOfRecords > map.capacity()) {
                break;
            }
            if (!addToMap(segs[i], firstDirty, map, name)) {
                break;
            }
            mapEnd = end;
        }
        // 2. Segments to rewrite: every closed one ending at or below the map's end.
        int toClean = 0;
        while (toClean < cleanable && segmentEnd(segs, toClean) <= mapEnd) {
            toClean++;
        }
        if (toClean == 0) {
            return new Result(firstDirty, firstDirty, 0, 0, 0, Long.MAX_VALUE, true);
        }
        Map<Long, Long> lastBatchOfProducer = lastBatchOfEachProducer(segs);
        CleanFilter filter = new CleanFilter(nowMs, cfg.deleteRetentionMs(), map, lastBatchOfProducer);
        long before = 0;
        long after = 0;
        boolean swapped = true;
        long cleanedUpTo = segs[0].baseOffset();
        for (List<LogSegment> group : groups(segs, toClean, cfg.segmentBytes())) {
            long groupBefore = 0;
            for (LogSegment s : group) {
                groupBefore += s.sizeInBytes();
            }
            LogSegment last = group.get(group.size() - 1);
            filter.groupLastOffset = last.nextOffset() - 1;
            long groupAfter = cleanInto(log.dir(), group, filter, cfg.indexIntervalBytes(), nowMs);
            boolean replaced;
            try {
                replaced = log.replaceSegments(group, view);
            } catch (IOException | RuntimeException e) {
                deleteCleanedFiles(log.dir(), group.get(0).baseOffset());
                throw e;
            }
            if (!replaced) {
                deleteCleanedFiles(log.dir(), group.get(0).baseOffset());
                LOG.info("{}: the log changed while it was cleaned (truncation, retention or deletion); "
                        + "cleaning stops at offset {} and starts over later", name, group.get(0).baseOffset());
                swapped = false;
                break;
            }
            before += groupBefore;
            after += groupAfter;
            cleanedUpTo = segmentEndOf(segs, last);
        }
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        Result result = new Result(swapped ? mapEnd : checkpoint, cleanedUpTo, before, after, filter.removed,
                filter.nextTombstoneExpiry, swapped);
        LOG.info("{}: cleaned offsets {} to {} in {} ms: {} -> {} bytes, {} record(s) removed, {} key(s) in the "
                        + "dirty part from offset {}; first dirty offset now {}", name, segs[0].baseOffset(),
                cleanedUpTo, durationMs, before, after, filter.removed, map.size(), firstDirty,
                result.firstDirtyOffset());
        return result;
    }

    private static long segmentEndOf(LogSegment[] segs, LogSegment s) {
        for (int i = 0; i < segs.length - 1; i++) {
            if (segs[i] == s) {
                return segs[i + 1].baseOffset();
            }
        }
        return s.nextOffset();
    }

    /** Puts every keyed record at or after {@code firstDirty} of {@code segment} into {@code map}. */
    private boolean addToMap(LogSegment segment, long firstDirty, OffsetMap map, String name)
            throws IOException, InterruptedException {
        FileRecords records = segment.records();
        long bytes = 0;
        for (RecordBatch batch : records.batches()) {
            checkStopping();
            bytes += batch.sizeInBytes();
            if (batch.isControlBatch() || batch.lastOffset() < firstDirty) {
                continue;
            }
            try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (it.hasNext()) {
                    Record record = it.next();
                    if (record.offset() >= firstDirty && record.hasKey()) {
                        if (map.size() >= map.capacity()) {
                            LOG.warn("{}: the cleaner's offset map filled up inside segment {}; raise "
                                    + "log.cleaner.dedupe.buffer.size", name, segment.baseOffset());
                            return false;
                        }
                        map.put(record.key(), record.offset());
                    }
                }
            }
        }
        throttler.acquire(bytes, stopping);
        return true;
    }

    /** Producer id -> last offset of its newest batch, over the whole log (batch headers only). */
    private static Map<Long, Long> lastBatchOfEachProducer(LogSegment[] segs) {
        Map<Long, Long> last = new HashMap<>();
        for (LogSegment s : segs) {
            for (RecordBatch batch : s.records().batches()) {
                if (batch.hasProducerId()) {
                    last.put(batch.producerId(), batch.lastOffset());
                }
            }
        }
        return last;
    }

    /**
     * Consecutive runs of the first {@code count} segments whose original sizes add up to at most segment.bytes
     * and whose offsets fit a segment's int relative offsets (Kafka's grouping).
     */
    static List<List<LogSegment>> groups(LogSegment[] segs, int count, long segmentBytes) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i < count) {
            List<LogSegment> group = new ArrayList<>();
            group.add(segs[i]);
            long size = segs[i].sizeInBytes();
            i++;
            while (i < count && size + segs[i].sizeInBytes() <= segmentBytes
                    && segmentEnd(segs, i) - 1 - group.get(0).baseOffset() <= Integer.MAX_VALUE) {
                size += segs[i].sizeInBytes();
                group.add(segs[i]);
                i++;
            }
            groups.add(group);
        }
        return groups;
    }

    /** Writes the kept batches of {@code group} into {@code <base>.*.cleaned}, fsynced and closed; returns its size. */
    private long cleanInto(Path dir, List<LogSegment> group, CleanFilter filter, int indexIntervalBytes, long nowMs)
            throws IOException, InterruptedException {
        long base = group.get(0).baseOffset();
        LogSegment out = LogSegment.createWithSuffix(dir, base, CLEANED);
        boolean done = false;
        try {
            ByteBuffer readBuffer = ByteBuffer.allocate(ioBufferSize);
            ByteBuffer writeBuffer = ByteBuffer.allocate(ioBufferSize);
            ByteBuffer header = BatchHeader.newBuffer();
            for (LogSegment segment : group) {
                FileRecords records = segment.records();
                int size = records.sizeInBytes();
                int position = 0;
                while (position < size) {
                    checkStopping();
                    // Whole batches up to the buffer, at least one.
                    int end = position;
                    BatchHeader h;
                    while ((h = BatchHeader.read(records.channel(), end, size, header)) != null
                            && end + h.sizeInBytes() <= size
                            && (end == position || end - position + h.sizeInBytes() <= ioBufferSize)) {
                        end += h.sizeInBytes();
                    }
                    if (end == position) {
                        throw new IOException("segment " + segment.baseOffset() + " in " + dir
                                + " has a torn batch at position " + position);
                    }
                    int length = end - position;
                    if (readBuffer.capacity() < length) {
                        readBuffer = ByteBuffer.allocate(length);
                    }
                    readBuffer.clear().limit(length);
                    records.readInto(readBuffer, position);
                    readBuffer.rewind();
                    if (writeBuffer.capacity() < length) {
                        writeBuffer = ByteBuffer.allocate(length);
                    }
                    writeBuffer.clear();
                    MemoryRecords.FilterResult result = MemoryRecords.readableRecords(readBuffer.slice(0, length))
                            .filterTo(filter, writeBuffer, BufferSupplier.NO_CACHING);
                    ByteBuffer output = result.outputBuffer();
                    writeBuffer = output; // filterTo may have grown it
                    output.flip();
                    if (output.hasRemaining()) {
                        MemoryRecords kept = MemoryRecords.readableRecords(output);
                        List<MutableRecordBatch> batches = new ArrayList<>();
                        kept.batches().forEach(batches::add);
                        out.append(kept, batches, nowMs, indexIntervalBytes);
                    }
                    filter.removed += result.messagesRead() - result.messagesRetained();
                    throttler.acquire((long) length + output.limit(), stopping);
                    position = end;
                }
            }
            out.onBecomeInactive();
            out.flush();
            long bytes = out.sizeInBytes();
            done = true;
            return bytes;
        } finally {
            out.closeQuietly();
            if (!done) {
                deleteCleanedFiles(dir, base);
            }
        }
    }

    static void deleteCleanedFiles(Path dir, long base) {
        for (String suffix : LogSegment.FILE_SUFFIXES) {
            try {
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix) + CLEANED));
            } catch (IOException e) {
                LOG.warn("could not delete {} of segment {} in {}: {}", CLEANED, base, dir, e.toString());
            }
        }
    }

    private void checkStopping() {
        if (stopping.getAsBoolean()) {
            throw new Aborted();
        }
        PartitionLog log = current;
        if (log != null && log.isClosed()) {
            throw new LogClosed(log.topic() + "-" + log.partition());
        }
    }

    /** Keeps the latest record per key; drops tombstones past their delete horizon and records without keys. */
    private static final class CleanFilter extends MemoryRecords.RecordFilter {
        private final OffsetMap map;
        private final Map<Long, Long> lastBatchOfProducer;
        long groupLastOffset = -1;
        long removed;
        long nextTombstoneExpiry = Long.MAX_VALUE;

        CleanFilter(long nowMs, long deleteRetentionMs, OffsetMap map, Map<Long, Long> lastBatchOfProducer) {
            super(nowMs, deleteRetentionMs);
            this.map = map;
            this.lastBatchOfProducer = lastBatchOfProducer;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            boolean keepEvenIfEmpty = batch.lastOffset() == groupLastOffset || batch.isControlBatch()
                    || (batch.hasProducerId() && lastBatchOfProducer.getOrDefault(batch.producerId(), -1L)
                    == batch.lastOffset());
            return new BatchRetentionResult(keepEvenIfEmpty ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY,
                    false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (batch.isControlBatch()) {
                return true;
            }
            if (!record.hasKey()) {
                return false; // written before the topic was compacted: nothing to compact it by
            }
            if (record.offset() < map.get(record.key())) {
                return false; // a later record has this key
            }
            if (!record.hasValue()) {
                long horizon = batch.deleteHorizonMs().orElse(currentTime + deleteRetentionMs);
                if (batch.deleteHorizonMs().isPresent() && currentTime >= horizon) {
                    return false; // a tombstone past delete.retention.ms since it was first cleaned
                }
                nextTombstoneExpiry = Math.min(nextTombstoneExpiry, horizon);
            }
            return true;
        }
    }
}
