package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: {@code <baseOffset>.log} holding record batches back to back, plus its
 * sparse {@code .index} and {@code .timeindex}. Mutated by the owning {@link PartitionLog}'s writer only;
 * {@link #read} and {@link #findTimestamp} may run on any thread and see only bytes whose write completed
 * (FileRecords publishes its size after the write).
 */
final class LogSegment {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    private final Path dir;
    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex index;
    private final TimeIndex timeIndex;

    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp = -1;
    /** segment.ms counts from the first batch's timestamp (KIP-33), or the wall clock when it has none. */
    private long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;
    /** Bytes may be in the page cache only: the next flush must fsync this segment. */
    private boolean dirty;
    /** Both index files were on disk before this object opened (and so created) them. */
    private final boolean indexFilesFound;

    private LogSegment(Path dir, long baseOffset) throws IOException {
        this(dir, baseOffset, "");
    }

    /** {@code fileSuffix} is appended to each file name: "" for a live segment, ".cleaned" for a cleaner's output. */
    private LogSegment(Path dir, long baseOffset, String fileSuffix) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexFilesFound = Files.exists(dir.resolve(fileName(baseOffset, ".index") + fileSuffix))
                && Files.exists(dir.resolve(fileName(baseOffset, ".timeindex") + fileSuffix));
        this.log = FileRecords.open(dir.resolve(fileName(baseOffset, ".log") + fileSuffix).toFile());
        this.index = new OffsetIndex(dir.resolve(fileName(baseOffset, ".index") + fileSuffix));
        this.timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, ".timeindex") + fileSuffix));
        this.nextOffset = baseOffset;
    }

    /** The three file suffixes of a segment, in the order the log cleaner renames them (log last). */
    static final List<String> FILE_SUFFIXES = List.of(".index", ".timeindex", ".log");

    /**
     * A new, empty segment whose files carry {@code fileSuffix} after their usual names (the log cleaner's
     * {@code .cleaned} output); leftovers with the same names are removed first. Never part of a log: the
     * cleaner closes it and renames its files.
     */
    static LogSegment createWithSuffix(Path dir, long baseOffset, String fileSuffix) throws IOException {
        for (String suffix : FILE_SUFFIXES) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + fileSuffix));
        }
        return new LogSegment(dir, baseOffset, fileSuffix);
    }

    /** {@code 00000000000000000042.log}: 20 digits, so names sort like offsets. */
    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(fileName(baseOffset, ".log"));
    }

    /** A new, empty segment; leftovers of an older segment with the same base offset are removed first. */
    static LogSegment create(Path dir, long baseOffset) throws IOException {
        for (String suffix : List.of(".log", ".index", ".timeindex")) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix)));
        }
        return new LogSegment(dir, baseOffset);
    }

    /** Removes a segment's files without opening them (recovery drops segments that follow a bad batch). */
    static void deleteFiles(Path dir, long baseOffset) throws IOException {
        for (String suffix : List.of(".log", ".index", ".timeindex")) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix)));
        }
    }

    /**
     * Opens an existing segment's files without reading them; follow with {@link #loadTrusted} or
     * {@link #recover} before using it.
     */
    static LogSegment open(Path dir, long baseOffset) throws IOException {
        return new LogSegment(dir, baseOffset);
    }

    /**
     * Loads a segment whose bytes are known to be on disk (clean shutdown, or wholly below the recovery
     * point) without a CRC scan: keeps its indexes after cheap checks (whole entries, positions inside the
     * file and increasing, the last offset entry naming a real batch, the time index not past the end) and
     * reads only the batch headers after the last index entry, for the end offset and newest timestamp.
     *
     * @return false when a check fails or those headers do not end exactly at the end of the file (a torn
     *         or foreign tail): the caller must {@link #recover} the segment, which also rebuilds its indexes
     */
    boolean loadTrusted(String topicPartition) throws IOException {
        int size = log.sizeInBytes();
        if (!indexFilesFound || !index.load(size) || !timeIndex.load() || !indexPointsAtBatches(size)) {
            LOG.warn("{}: index of segment {} is missing or inconsistent with the log", topicPartition, baseOffset);
            return false;
        }
        maxTimestamp = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.lastRelOffset() < 0 ? -1 : baseOffset + timeIndex.lastRelOffset();
        BatchHeader first = BatchHeader.read(log.channel(), 0, size, BatchHeader.newBuffer());
        if (first != null) {
            // segment.ms counts from the first batch even across a restart (KIP-33).
            rollingBasedTimestamp = first.maxTimestamp() >= 0 ? first.maxTimestamp() : System.currentTimeMillis();
        }
        int n = index.entries();
        int end = scanStats(n == 0 ? 0 : index.positionAt(n - 1), size);
        if (end != size) {
            LOG.warn("{}: batch headers of segment {} end at file position {} but the file has {} bytes",
                    topicPartition, baseOffset, end, size);
            return false;
        }
        if (offsetOfMaxTimestamp >= nextOffset) {
            LOG.warn("{}: time index of segment {} names offset {}, past the segment's end {}", topicPartition,
                    baseOffset, offsetOfMaxTimestamp, nextOffset);
            return false;
        }
        return true;
    }

    /**
     * Validates every batch (sizes, magic, offsets increasing, CRC), truncates the file at the first batch
     * that fails and rebuilds both indexes from what is left. The segment counts as unflushed afterwards:
     * after a process crash its bytes may sit in the OS page cache only.
     *
     * @return the number of bytes cut off the end of the file
     */
    long recover(String topicPartition, int indexIntervalBytes) throws IOException {
        long truncated = rebuild(topicPartition, indexIntervalBytes);
        dirty = true;
        return truncated;
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    int sizeInBytes() {
        return log.sizeInBytes();
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    Path file() {
        return log.file().toPath();
    }

    /** The segment's bytes, for the log cleaner to read batches from; never close it. */
    FileRecords records() {
        return log;
    }

    /** The first batch's timestamp (or the wall clock at its append when it had none); -1 when empty. */
    long firstBatchTimestamp() {
        return rollingBasedTimestamp;
    }

    /** Newest timestamp for time retention; the file's modification time when no batch carries one, as Kafka. */
    long largestTimestamp() throws IOException {
        long ts = maxTimestamp;
        return ts >= 0 ? ts : Files.getLastModifiedTime(file()).toMillis();
    }

    /**
     * How far {@code incomingTimestamp} (the newest timestamp of the batches about to be appended) is past the
     * segment's first batch, for segment.ms; 0 when empty.
     */
    long ageForRoll(long incomingTimestamp) {
        return rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP ? 0 : incomingTimestamp - rollingBasedTimestamp;
    }

    /**
     * Appends already validated batches with one write, then indexes them. The batches are the views of
     * {@code records} listed in order; their offsets are final.
     */
    void append(MemoryRecords records, List<MutableRecordBatch> batches, long nowMs, int indexIntervalBytes)
            throws IOException {
        int position = log.sizeInBytes();
        try {
            log.append(records);
        } catch (IOException e) {
            // Cut off whatever part of the write reached the file, so the segment never ends torn.
            log.truncateTo(position);
            throw e;
        }
        if (rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP) {
            long first = batches.get(0).maxTimestamp();
            rollingBasedTimestamp = first >= 0 ? first : nowMs;
        }
        for (MutableRecordBatch batch : batches) {
            indexBatch(batch.baseOffset(), position, batch.sizeInBytes(), batch.maxTimestamp(), indexIntervalBytes);
            position += batch.sizeInBytes();
        }
        index.persistPending();
        timeIndex.persistPending();
        nextOffset = batches.get(batches.size() - 1).nextOffset();
        dirty = true;
    }

    private void indexBatch(long batchBaseOffset, int position, int size, long batchMaxTimestamp,
                            int indexIntervalBytes) {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchBaseOffset;
        }
        // Kafka's rule: an entry once more than index.interval.bytes were written since the last one, so a
        // lookup scans at most that many bytes of headers.
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            index.append((int) (batchBaseOffset - baseOffset), position);
            if (maxTimestamp >= 0) {
                timeIndex.maybeAppend(maxTimestamp, (int) (offsetOfMaxTimestamp - baseOffset));
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += size;
    }

    /**
     * Whole batches starting with the one that contains {@code startOffset}: at least one batch when
     * {@code minOneBatch} (KIP-74) even beyond {@code maxBytes}, never one whose base offset is at or past
     * {@code limitOffset}. Returns null when no batch of this segment reaches {@code startOffset}.
     */
    FileRegionRead read(long startOffset, int maxBytes, long limitOffset, boolean minOneBatch) throws IOException {
        int size = log.sizeInBytes();
        ByteBuffer buf = BatchHeader.newBuffer();
        int position = index.lookup(startOffset - baseOffset);
        BatchHeader header;
        while (true) {
            header = BatchHeader.read(log.channel(), position, size, buf);
            if (header == null) {
                return null;
            }
            if (header.lastOffset() >= startOffset) {
                break;
            }
            position += header.sizeInBytes();
        }
        int start = position;
        int end = position;
        while (header != null && header.baseOffset() < limitOffset) {
            int next = end + header.sizeInBytes();
            if (next > size || (next - start > maxBytes && (end > start || !minOneBatch))) {
                break;
            }
            end = next;
            header = BatchHeader.read(log.channel(), end, size, buf);
        }
        return new FileRegionRead(log.slice(start, end - start), new FileRegion(file(), start, end - start));
    }

    /** A read's slice and where it lies in the file. */
    record FileRegionRead(FileRecords records, FileRegion region) {
    }

    /** The first record at or after {@code timestamp}, searched from the time index's hint. */
    Optional<TimestampOffset> findTimestamp(long timestamp, long startingOffset) throws IOException {
        if (maxTimestamp < timestamp) {
            return Optional.empty();
        }
        int rel = timeIndex.lookupBefore(timestamp);
        long from = Math.max(startingOffset, rel < 0 ? baseOffset : baseOffset + rel);
        int position = index.lookup(from - baseOffset);
        FileRecords.TimestampAndOffset found = log.searchForTimestamp(timestamp, position, startingOffset);
        return found == null ? Optional.empty() : Optional.of(new TimestampOffset(found.timestamp, found.offset));
    }

    /**
     * Drops every batch whose last offset is >= {@code offset}: a batch is never split, so the new end can
     * be below {@code offset}. Returns the segment's new next offset.
     */
    long truncateTo(long offset, int indexIntervalBytes) throws IOException {
        int size = log.sizeInBytes();
        ByteBuffer buf = BatchHeader.newBuffer();
        int position = index.lookup(offset - baseOffset);
        BatchHeader header;
        while ((header = BatchHeader.read(log.channel(), position, size, buf)) != null
                && header.lastOffset() < offset) {
            position += header.sizeInBytes();
        }
        if (position >= size) {
            return nextOffset;
        }
        long newNext = header == null ? nextOffset : header.baseOffset();
        log.truncateTo(position);
        index.truncateToEntries(index.entriesBefore(position));
        timeIndex.truncateToEntries(timeIndex.entriesBelow(newNext - baseOffset));
        // Recompute the newest timestamp and the index cadence from what is left.
        maxTimestamp = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.lastRelOffset() < 0 ? -1 : baseOffset + timeIndex.lastRelOffset();
        int n = index.entries();
        scanStats(n == 0 ? 0 : index.positionAt(n - 1), position);
        if (position == 0) {
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        }
        nextOffset = position == 0 ? baseOffset : newNext;
        dirty = true;
        return nextOffset;
    }

    /** Called when a newer segment takes over: record the final max timestamp so reopening finds it. */
    void onBecomeInactive() throws IOException {
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, (int) (offsetOfMaxTimestamp - baseOffset));
        }
        index.persistPending();
        timeIndex.persistPending();
    }

    void flush() throws IOException {
        if (dirty) {
            log.flush();
            index.flush();
            timeIndex.flush();
            dirty = false;
        }
    }

    /** Removes the files but keeps the channel open: a reader's slice stays readable (unlinked file on Linux). */
    void unlinkFiles() throws IOException {
        Files.deleteIfExists(file());
        index.deleteFile();
        timeIndex.deleteFile();
    }

    void close() throws IOException {
        try {
            index.close();
            timeIndex.close();
        } finally {
            log.closeHandlers();
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            LOG.warn("closing segment {} in {} failed: {}", baseOffset, dir, e.toString());
        }
    }

    /** Each index entry must name the batch at its position, else the index belongs to other bytes. */
    private boolean indexPointsAtBatches(int size) throws IOException {
        ByteBuffer buf = BatchHeader.newBuffer();
        int n = index.entries();
        for (int i = n == 0 ? 0 : n - 1; i < n; i++) {
            BatchHeader header = BatchHeader.read(log.channel(), index.positionAt(i), size, buf);
            if (header == null || header.baseOffset() != baseOffset + index.relOffsetAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads batch headers from {@code from} up to {@code to}: end offset, newest timestamp, index cadence.
     * Stops at a header that is torn, runs past {@code to}, is not v2 or goes back in offsets.
     *
     * @return the position reached: {@code to} when the headers tile the range exactly
     */
    private int scanStats(int from, int to) throws IOException {
        ByteBuffer buf = BatchHeader.newBuffer();
        int position = from;
        bytesSinceLastIndexEntry = 0;
        BatchHeader header;
        long next = nextOffset;
        long floor = baseOffset;
        while (position < to && (header = BatchHeader.read(log.channel(), position, to, buf)) != null
                && (long) position + header.sizeInBytes() <= to && header.magic() == RecordBatch.MAGIC_VALUE_V2
                && header.lastOffsetDelta() >= 0 && header.baseOffset() >= floor) {
            if (header.maxTimestamp() > maxTimestamp) {
                maxTimestamp = header.maxTimestamp();
                offsetOfMaxTimestamp = header.baseOffset();
            }
            if (rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP && position == 0) {
                rollingBasedTimestamp = header.maxTimestamp() >= 0 ? header.maxTimestamp() : System.currentTimeMillis();
            }
            next = header.nextOffset();
            floor = next;
            bytesSinceLastIndexEntry += header.sizeInBytes();
            position += header.sizeInBytes();
        }
        nextOffset = next;
        return position;
    }

    /**
     * Rebuilds both indexes and the stats from the log, reading each batch whole to check its CRC, and
     * truncates the log at the first batch that is torn, corrupt or out of order.
     *
     * @return the number of bytes truncated
     */
    private long rebuild(String topicPartition, int indexIntervalBytes) throws IOException {
        index.truncateToEntries(0);
        timeIndex.truncateToEntries(0);
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        int size = log.sizeInBytes();
        ByteBuffer headerBuf = BatchHeader.newBuffer();
        ByteBuffer batchBuf = ByteBuffer.allocate(0);
        int position = 0;
        long next = baseOffset;
        String problem = null;
        while (position < size) {
            BatchHeader header = BatchHeader.read(log.channel(), position, size, headerBuf);
            if (header == null) {
                problem = "a torn batch header";
                break;
            }
            if ((long) position + header.sizeInBytes() > size) {
                problem = "a batch of " + header.sizeInBytes() + " bytes cut off at the end of the file";
                break;
            }
            if (header.magic() != RecordBatch.MAGIC_VALUE_V2 || header.lastOffsetDelta() < 0
                    || header.baseOffset() < next || header.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                problem = "a batch header that is not a valid v2 batch following offset " + (next - 1);
                break;
            }
            if (batchBuf.capacity() < header.sizeInBytes()) {
                batchBuf = ByteBuffer.allocate(header.sizeInBytes());
            }
            batchBuf.clear().limit(header.sizeInBytes());
            log.readInto(batchBuf, position);
            MutableRecordBatch batch = MemoryRecords.readableRecords(batchBuf).batches().iterator().next();
            if (!batch.isValid()) {
                problem = "a batch whose CRC does not match its contents";
                break;
            }
            if (rollingBasedTimestamp == RecordBatch.NO_TIMESTAMP) {
                rollingBasedTimestamp = header.maxTimestamp() >= 0 ? header.maxTimestamp() : System.currentTimeMillis();
            }
            indexBatch(header.baseOffset(), position, header.sizeInBytes(), header.maxTimestamp(), indexIntervalBytes);
            next = header.nextOffset();
            position += header.sizeInBytes();
        }
        long truncated = 0;
        if (problem != null) {
            truncated = size - position;
            LOG.warn("{}: segment {} has {} at offset {} (file position {}); dropping the last {} bytes",
                    topicPartition, baseOffset, problem, next, position, truncated);
            log.truncateTo(position);
            log.flush();
        }
        nextOffset = next;
        index.persistPending();
        timeIndex.persistPending();
        return truncated;
    }
}
