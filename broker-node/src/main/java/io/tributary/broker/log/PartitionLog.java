package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmented log of one partition replica, in {@code <log.dirs>/<topic>-<partition>/}: segments
 * {@code <20-digit baseOffset>.log} holding v2 record batches exactly as producers sent them (only the base
 * offset and partition leader epoch are rewritten, fields the CRC does not cover), each with a sparse
 * {@code .index} (relative offset -> position) and {@code .timeindex} (max timestamp -> offset).
 *
 * <h2>Threading</h2>
 * {@link #appendAsLeader}, {@link #appendAsFollower}, {@link #truncateTo}, {@link #truncateFullyAndStartAt},
 * {@link #deleteExpiredSegments}, {@link #recordLeaderEpochStart}, {@link #flush}, {@link #updateConfig} and
 * {@link #close} are meant to be called by one thread at a time per partition (the broker's ordered worker);
 * they also take an internal lock, so a retention scheduler on another thread is safe, merely serialised
 * with appends. All of them block on disk I/O: never call them on a Vert.x event loop.
 * {@link #read}, {@link #offsetForTimestamp}, {@link #logStartOffset()} and {@link #logEndOffset()} take no
 * lock and may run on any thread during an append: the writer publishes the segment array and then the end
 * offset through volatile fields after the bytes are written, and a reader bounds itself by the end offset
 * it read first, so it sees a consistent prefix and never a half-written batch. A reader racing with
 * {@link #truncateTo} (followers only) may see either side of the truncation.
 *
 * <h2>Deleted segments and readers</h2>
 * Retention and truncation remove a segment from the published array and unlink its files at once, but
 * keep its channel open for {@link #DELETED_SEGMENT_CLOSE_DELAY_MS} (Kafka's {@code file.delete.delay.ms}
 * default) and close it on a later retention run or at {@link #close}: a {@code FileRecords} slice handed
 * to a fetch just before stays readable, since Linux keeps an unlinked, open file's data.
 * Never close a slice returned by {@link #read}: it shares the segment's channel. Do not interrupt threads
 * that read: an interrupt during channel I/O closes the shared channel (a property of FileChannel).
 */
public final class PartitionLog implements Closeable {
    /** How long an unlinked segment's channel stays open for in-flight reads; Kafka's file.delete.delay.ms. */
    public static final long DELETED_SEGMENT_CLOSE_DELAY_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    private final String topic;
    private final int partition;
    private final String name;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Deque<RetiredSegment> retired = new ArrayDeque<>();
    private final LeaderEpochCache epochs;
    private final RecoveryPointCheckpoint recoveryPointFile;
    private final LogLoader.Summary loadSummary;

    private volatile LogConfig config;
    /** Sorted by base offset; replaced, never mutated, so readers can take a snapshot. */
    private volatile LogSegment[] segments;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    /**
     * Every offset below is fsynced, and so is every segment but the active one; the same value is in
     * {@link #recoveryPointFile} (rewritten whenever it changes), so after a crash only the active segment, or
     * the segments from the one holding this offset on, need a CRC scan.
     */
    private volatile long recoveryPoint;
    private volatile boolean closed;
    private long unflushedMessages;
    /** Truncations so far, and the lowest end one left since the cleaner last asked (see {@link LogCleaner}). */
    private volatile long truncations;
    private long truncatedToSinceCleaner = Long.MAX_VALUE;

    private record RetiredSegment(LogSegment segment, long closeAfterMs) {
    }

    private PartitionLog(Path dir, String topic, int partition, LogConfig config, LogSegment[] segments,
                         LeaderEpochCache epochs, RecoveryPointCheckpoint recoveryPointFile,
                         long recoveryPoint, LogLoader.Summary loadSummary) {
        this.dir = dir;
        this.topic = topic;
        this.partition = partition;
        this.name = topic + "-" + partition;
        this.config = config;
        this.segments = segments;
        this.logStartOffset = segments[0].baseOffset();
        this.logEndOffset = segments[segments.length - 1].nextOffset();
        this.epochs = epochs;
        this.recoveryPointFile = recoveryPointFile;
        this.recoveryPoint = recoveryPoint;
        this.loadSummary = loadSummary;
    }

    /**
     * Opens (creating if absent) the log in {@code dir} through {@link LogLoader}: after a clean shutdown the
     * files are trusted after cheap checks; after a crash every batch from the recovery point on is validated
     * and a torn or corrupt tail is truncated with a WARN naming the partition, offset and bytes.
     */
    public static PartitionLog open(Path dir, String topic, int partition, LogConfig config) throws IOException {
        String name = topic + "-" + partition;
        RecoveryPointCheckpoint recoveryPointFile = new RecoveryPointCheckpoint(dir, name);
        LogLoader.Loaded loaded = LogLoader.load(dir, name, config, recoveryPointFile);
        LeaderEpochCache epochs;
        try {
            epochs = LeaderEpochCache.load(dir, name);
        } catch (IOException | RuntimeException e) {
            loaded.segments().forEach(LogSegment::closeQuietly);
            throw e;
        }
        PartitionLog log = new PartitionLog(dir, topic, partition, config,
                loaded.segments().toArray(LogSegment[]::new), epochs, recoveryPointFile, loaded.recoveryPoint(),
                loaded.summary());
        // A DeleteRecords start offset inside the first segment survives restarts (LogStartOffsetCheckpoint).
        LogStartOffsetCheckpoint.read(dir, name).ifPresent(start -> log.logStartOffset = Math.max(log.logStartOffset,
                Math.min(start, log.logEndOffset)));
        // Recovery may have cut the tail, and retention may have run after the last checkpoint write.
        epochs.truncateFromEnd(log.logEndOffset);
        epochs.truncateFromStart(log.logStartOffset);
        return log;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies new topic settings (e.g. an altered retention.ms); they govern the next append or retention run. */
    public void updateConfig(LogConfig newConfig) {
        config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return logEndOffset;
    }

    /**
     * The offset below which the log is known to be on disk: advanced to the log end offset by every
     * {@link #flush} (also the one of {@code flush.messages}) and to the new segment's base offset by a roll,
     * lowered by truncation.
     */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** How the last open went: clean or not, how much was CRC-checked and cut. */
    LogLoader.Summary loadSummary() {
        return loadSummary;
    }

    /** Bytes in all segments. */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments) {
            total += s.sizeInBytes();
        }
        return total;
    }

    /** Number of segments, the active one included. */
    public int segmentCount() {
        return segments.length;
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return Arrays.stream(segments).map(LogSegment::baseOffset).toList();
    }

    /**
     * Validates every batch (magic 2, CRC, size <= max.message.bytes, non-empty, count consistent with its
     * last offset delta), assigns offsets from the log end offset by rewriting each batch's base offset in
     * place, stamps {@code leaderEpoch} as partition leader epoch, rolls the active segment by size or time
     * and writes the whole request with one write. The request's buffer must be writable: its batches are
     * modified in place, never copied.
     *
     * @throws InvalidRecordBatchException when a batch fails a check; nothing of the request is written then
     */
    public AppendResult appendAsLeader(MemoryRecords records, int leaderEpoch, long nowMs) {
        writeLock.lock();
        try {
            ensureOpen();
            LogConfig cfg = config;
            ValidatedBatches validated = ValidatedBatches.validate(records, cfg.maxMessageBytes(), name);
            if (cfg.compact()) {
                CompactedAppendCheck.requireKeys(validated.batches(), name);
            }
            long next = logEndOffset;
            long firstOffset = next;
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long logAppendTime = RecordBatch.NO_TIMESTAMP;
            for (MutableRecordBatch batch : validated.batches()) {
                long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
                // The CRC does not cover base offset and leader epoch, so rewriting them keeps the batch valid.
                batch.setLastOffset(next + lastOffsetDelta);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                    // The batch asked for broker time (KIP-32); setMaxTimestamp recomputes the CRC.
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
                    logAppendTime = nowMs;
                }
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                next += lastOffsetDelta + 1;
            }
            write(records, validated, firstOffset, next - 1, nowMs);
            epochs.assign(leaderEpoch, firstOffset);
            return new AppendResult(firstOffset, next - 1, maxTimestamp, logAppendTime,
                    validated.batches().size(), validated.sizeInBytes());
        } finally {
            writeLock.unlock();
        }
    }

    /** {@link #appendAsFollower(MemoryRecords, long)} at the wall-clock time. */
    public AppendResult appendAsFollower(MemoryRecords records) {
        return appendAsFollower(records, System.currentTimeMillis());
    }

    /**
     * Appends batches copied from the leader, keeping their offsets and leader epochs. The first batch must
     * start at or after the log end offset and offsets must increase; gaps are normal (the leader's cleaner
     * removed records of a compacted topic, or the leader's log starts later). An empty active segment is
     * restarted at the first batch's offset. Batches with fewer records than offsets, or none, are accepted:
     * the leader's cleaner writes those. CRCs are checked; the size limit is the leader's business and is
     * not applied, as in Kafka. Empty records append nothing and return
     * {@code batchCount == 0} with {@code firstOffset} = the log end offset.
     */
    public AppendResult appendAsFollower(MemoryRecords records, long nowMs) {
        writeLock.lock();
        try {
            ensureOpen();
            if (records.sizeInBytes() == 0) {
                // A fetch that brought nothing: not an error for a follower.
                return new AppendResult(logEndOffset, logEndOffset - 1, RecordBatch.NO_TIMESTAMP,
                        RecordBatch.NO_TIMESTAMP, 0, 0);
            }
            ValidatedBatches validated = ValidatedBatches.validate(records, -1, name, false);
            List<MutableRecordBatch> batches = validated.batches();
            long expected = batches.get(0).baseOffset();
            if (expected < logEndOffset) {
                throw new InvalidRecordBatchException(Errors.INVALID_RECORD, "follower append to " + name
                        + " starts at offset " + expected + ", below the log end offset " + logEndOffset);
            }
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            for (MutableRecordBatch batch : batches) {
                if (batch.baseOffset() < expected) {
                    throw new InvalidRecordBatchException(Errors.INVALID_RECORD, "follower append to " + name
                            + " goes back in offsets: batch at offset " + batch.baseOffset() + " where at least "
                            + expected + " was expected");
                }
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                expected = batch.nextOffset();
            }
            long firstOffset = batches.get(0).baseOffset();
            if (firstOffset > logEndOffset && segments[segments.length - 1].sizeInBytes() == 0) {
                LOG.info("{}: follower append starts at {} beyond log end offset {}, starting a new segment there",
                        name, firstOffset, logEndOffset);
                try {
                    rollTo(firstOffset, nowMs);
                } catch (IOException e) {
                    throw new UncheckedIOException("starting a segment of " + name + " at offset " + firstOffset
                            + " failed in " + dir, e);
                }
            }
            write(records, validated, firstOffset, expected - 1, nowMs);
            for (MutableRecordBatch batch : batches) {
                // The follower learns the leader's epoch history from the batches themselves (KIP-101).
                epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
            return new AppendResult(firstOffset, expected - 1, maxTimestamp, RecordBatch.NO_TIMESTAMP,
                    batches.size(), validated.sizeInBytes());
        } finally {
            writeLock.unlock();
        }
    }

    private void write(MemoryRecords records, ValidatedBatches validated, long firstOffset, long lastOffset,
                       long nowMs) {
        LogConfig cfg = config;
        try {
            LogSegment active = maybeRoll(validated.sizeInBytes(), lastOffset, incomingTimestamp(validated, nowMs), nowMs, cfg);
            active.append(records, validated.batches(), nowMs, cfg.indexIntervalBytes());
            logEndOffset = lastOffset + 1;
            unflushedMessages += validated.messageCount();
            if (unflushedMessages >= cfg.flushIntervalMessages()) {
                flushSegments();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("append to " + name + " at offset " + firstOffset + " failed in " + dir, e);
        }
    }

    /**
     * The newest record timestamp of what is being appended, the clock segment.ms is measured by (KAFKA-4099):
     * records stamped in the past (a backfill, a replay) roll by the span of their timestamps, not by the wall
     * clock, so they do not open a segment per batch. Batches without timestamps count as now.
     */
    private static long incomingTimestamp(ValidatedBatches validated, long nowMs) {
        long newest = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : validated.batches()) {
            newest = Math.max(newest, batch.maxTimestamp());
        }
        return newest >= 0 ? newest : nowMs;
    }

    /** Rolls when the request would overflow segment.bytes, segment.ms has passed, or relative offsets overflow. */
    private LogSegment maybeRoll(int bytes, long lastOffset, long incomingTimestamp, long nowMs, LogConfig cfg) throws IOException {
        LogSegment active = segments[segments.length - 1];
        int size = active.sizeInBytes();
        if (size == 0) {
            return active;
        }
        String reason = null;
        if ((long) size + bytes > cfg.segmentBytes()) {
            reason = "size " + size + " + " + bytes + " > segment.bytes " + cfg.segmentBytes();
        } else if (active.ageForRoll(incomingTimestamp) > cfg.segmentMs()) {
            reason = "age " + active.ageForRoll(incomingTimestamp) + " ms > segment.ms " + cfg.segmentMs();
        } else if (lastOffset - active.baseOffset() > Integer.MAX_VALUE) {
            reason = "relative offsets would overflow the index";
        }
        if (reason == null) {
            return active;
        }
        LOG.debug("{}: rolling segment {} at offset {}: {}", name, active.baseOffset(), logEndOffset, reason);
        return rollTo(logEndOffset, nowMs);
    }

    /**
     * Seals the active segment and starts a new one at {@code baseOffset}; an empty active segment is replaced.
     * The sealed segment is fsynced first (with any other segment not yet flushed, e.g. one recovered at start),
     * so the recovery point moves to {@code baseOffset} and a crash never needs to scan more than the active
     * segment. Synchronous, on the appending thread: one fsync per segment.bytes is cheap next to the
     * bookkeeping an asynchronous flush would need to keep the recovery point from passing unflushed bytes.
     */
    private LogSegment rollTo(long baseOffset, long nowMs) throws IOException {
        LogSegment[] current = segments;
        LogSegment active = current[current.length - 1];
        if (active.sizeInBytes() > 0) {
            active.onBecomeInactive();
        }
        fsyncSegments();
        LogSegment fresh;
        LogSegment[] next;
        if (active.sizeInBytes() == 0) {
            fresh = LogSegment.create(dir, baseOffset);
            next = current.clone();
            next[next.length - 1] = fresh;
            retire(active, nowMs);
            active.unlinkFiles();
        } else {
            fresh = LogSegment.create(dir, baseOffset);
            next = Arrays.copyOf(current, current.length + 1);
            next[next.length - 1] = fresh;
        }
        segments = next;
        if (next[0].baseOffset() > logStartOffset) {
            logStartOffset = next[0].baseOffset();
        }
        setRecoveryPoint(baseOffset);
        return fresh;
    }

    /**
     * Records that this replica became leader in {@code epoch} at the current log end offset (the first
     * offset it will write in that epoch), before it accepts produce requests (docs/architecture.md, "Election").
     * Appends as leader record their epoch too; this covers a leader that has not appended yet.
     */
    public void recordLeaderEpochStart(int epoch) {
        writeLock.lock();
        try {
            ensureOpen();
            epochs.assign(epoch, logEndOffset);
        } finally {
            writeLock.unlock();
        }
    }

    /** This replica's leader epochs and where each starts (the leader-epoch checkpoint). */
    public LeaderEpochCache leaderEpochs() {
        return epochs;
    }

    /** The OffsetsForLeaderEpoch answer for {@code epoch} from this replica's log (KIP-101, KIP-279). */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    /** {@link #read(long, int, long, boolean)} that returns at least one batch (KIP-74). */
    public LogReadResult read(long startOffset, int maxBytes, long maxOffsetExclusive) {
        return read(startOffset, maxBytes, maxOffsetExclusive, true);
    }

    /**
     * Whole batches from the one that contains {@code startOffset}, up to {@code maxBytes}, never a batch whose
     * base offset is >= {@code maxOffsetExclusive} (the high watermark for consumers) or the log end offset.
     * With {@code minOneBatch} the first batch is returned even when larger than maxBytes (KIP-74; Kafka sets
     * it for the first partition of a fetch only). Reads within one segment; the caller fetches again for more.
     *
     * @return a zero-copy slice of one segment, or {@link MemoryRecords#EMPTY}
     * @throws OffsetOutOfRangeException when startOffset is below the log start or above the log end offset
     */
    public LogReadResult read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        long end = logEndOffset; // read before the segments: every offset below it is in this or a newer array
        LogSegment[] segs = segments;
        long start = Math.max(logStartOffset, segs[0].baseOffset());
        if (startOffset < start || startOffset > end) {
            throw new OffsetOutOfRangeException(name, startOffset, start, end);
        }
        long limit = Math.min(maxOffsetExclusive, end);
        if (startOffset >= limit) {
            return LogReadResult.empty(start, end);
        }
        try {
            for (int i = floorSegment(segs, startOffset); i < segs.length && segs[i].baseOffset() < limit; i++) {
                LogSegment.FileRegionRead read = segs[i].read(startOffset, maxBytes, limit, minOneBatch);
                if (read != null) {
                    if (read.region().length() == 0) {
                        return LogReadResult.empty(start, end);
                    }
                    return new LogReadResult(read.records(), start, end, Optional.of(read.region()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read of " + name + " at offset " + startOffset + " failed in " + dir, e);
        }
        return LogReadResult.empty(start, end);
    }

    /** The first offset whose record timestamp is >= {@code timestampMs}, empty if no record is that new. */
    public OptionalLong offsetForTimestamp(long timestampMs) {
        return findByTimestamp(timestampMs).map(t -> OptionalLong.of(t.offset())).orElse(OptionalLong.empty());
    }

    /**
     * The first record (offset and its timestamp) whose timestamp is >= {@code timestampMs}, found through the
     * time index; the one batch that holds it is decompressed to find the exact record, as Kafka's
     * ListOffsets does.
     */
    public Optional<TimestampOffset> findByTimestamp(long timestampMs) {
        long end = logEndOffset;
        LogSegment[] segs = segments;
        long start = Math.max(logStartOffset, segs[0].baseOffset());
        try {
            for (LogSegment segment : segs) {
                if (segment.maxTimestamp() >= timestampMs) {
                    Optional<TimestampOffset> found = segment.findTimestamp(timestampMs, start);
                    if (found.isPresent()) {
                        return found.get().offset() < end ? found : Optional.empty();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("timestamp lookup " + timestampMs + " in " + name + " failed in " + dir, e);
        }
        return Optional.empty();
    }

    /** The largest timestamp in the log and the base offset of the batch holding it (ListOffsets MAX_TIMESTAMP, KIP-734). */
    public Optional<TimestampOffset> maxTimestamp() {
        TimestampOffset best = null;
        for (LogSegment segment : segments) {
            long ts = segment.maxTimestamp();
            if (ts >= 0 && (best == null || ts > best.timestamp())) {
                best = new TimestampOffset(ts, segment.offsetOfMaxTimestamp());
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Drops every record at or after {@code offset} (follower truncation, KIP-101). A batch is never split:
     * one that contains {@code offset} goes entirely, so the new log end offset can be below it. An offset
     * below the log start empties the log and restarts it there.
     */
    public void truncateTo(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            if (offset >= logEndOffset) {
                return;
            }
            if (offset < logStartOffset) {
                truncateFullyAndStartAt(offset);
                return;
            }
            long nowMs = System.currentTimeMillis();
            LogSegment[] current = segments;
            int keep = Math.max(1, floorSegment(current, offset) + 1);
            if (keep > 1 && current[keep - 1].baseOffset() == offset) {
                keep--; // that segment holds only offsets >= offset
            }
            long newEnd = current[keep - 1].truncateTo(offset, config.indexIntervalBytes());
            noteTruncation(newEnd);
            // Lower the end offset before dropping segments, so a racing reader stays bounded by it.
            logEndOffset = newEnd;
            epochs.truncateFromEnd(newEnd);
            segments = Arrays.copyOf(current, keep);
            for (int i = keep; i < current.length; i++) {
                retire(current[i], nowMs);
                current[i].unlinkFiles();
            }
            // The bytes from newEnd on will be written again, unflushed: the point must come down, durably,
            // before they are. The directory fsync also makes the unlinks durable, so deleted segments cannot
            // come back after a power loss and make the truncated segment look sealed and flushed.
            boolean synced = setRecoveryPoint(Math.min(recoveryPoint, newEnd));
            if (!synced && keep < current.length) {
                AtomicFile.fsyncDirectory(dir);
            }
            LOG.info("{}: truncated to offset {}, log end offset now {}", name, offset, newEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("truncation of " + name + " to offset " + offset + " failed in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Deletes every segment and restarts the log empty at {@code offset}, which becomes the log start offset. */
    public void truncateFullyAndStartAt(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            long nowMs = System.currentTimeMillis();
            LogSegment[] current = segments;
            LogSegment fresh = LogSegment.create(dir, offset);
            noteTruncation(offset);
            logEndOffset = offset;
            logStartOffset = offset;
            segments = new LogSegment[] {fresh};
            epochs.clear();
            for (LogSegment s : current) {
                retire(s, nowMs);
                if (s.baseOffset() != offset) {
                    s.unlinkFiles();
                }
            }
            // Nothing below offset is left to lose. Written even when unchanged: the directory fsync makes
            // the unlinks durable, so the old segments cannot reappear after a power loss.
            LogStartOffsetCheckpoint.write(dir, offset);
            writeRecoveryPoint(offset);
            LOG.info("{}: emptied the log and restarted it at offset {}", name, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("restart of " + name + " at offset " + offset + " failed in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * DeleteRecords: raises the log start offset to {@code offset} (no-op if it is not above the current start),
     * durably, then deletes the segments wholly below it. Reads below the new start get OFFSET_OUT_OF_RANGE.
     *
     * @return the log start offset now
     * @throws OffsetOutOfRangeException when {@code offset} is above the log end offset
     */
    public long advanceLogStartOffset(long offset) {
        writeLock.lock();
        try {
            ensureOpen();
            if (offset > logEndOffset) {
                throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
            }
            if (offset <= logStartOffset) {
                return logStartOffset;
            }
            LogStartOffsetCheckpoint.write(dir, offset);
            logStartOffset = offset;
            epochs.truncateFromStart(offset);
            LogSegment[] current = segments;
            int delete = 0;
            while (delete < current.length - 1 && current[delete + 1].baseOffset() <= offset) {
                delete++;
            }
            if (delete > 0) {
                long nowMs = System.currentTimeMillis();
                segments = Arrays.copyOfRange(current, delete, current.length);
                for (int i = 0; i < delete; i++) {
                    retire(current[i], nowMs);
                    current[i].unlinkFiles();
                }
            }
            LOG.info("{}: log start offset advanced to {} (DeleteRecords), {} segment(s) deleted", name, offset, delete);
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("advancing the log start offset of " + name + " to " + offset + " failed in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Retention bounded by the log end offset; see {@link #deleteExpiredSegments(long, long)}. */
    public int deleteExpiredSegments(long nowMs) {
        return deleteExpiredSegments(nowMs, Long.MAX_VALUE);
    }

    /**
     * Deletes the oldest segments that retention.ms (newest timestamp older than that) or retention.bytes
     * (the log stays at least that big without them) let go, never the active segment and never a segment
     * holding offsets at or above {@code highWatermark} (data not yet replicated stays, as in Kafka).
     * Advances the log start offset. Also closes channels of segments deleted more than
     * {@link #DELETED_SEGMENT_CLOSE_DELAY_MS} ago.
     *
     * @return the number of segments deleted
     */
    public int deleteExpiredSegments(long nowMs, long highWatermark) {
        writeLock.lock();
        try {
            if (closed) {
                return 0;
            }
            LogConfig cfg = config;
            if (!cfg.cleanupPolicy().delete()) {
                // cleanup.policy=compact: the cleaner bounds the log; retention.ms/bytes delete nothing (as Kafka).
                closeRetired(nowMs);
                return 0;
            }
            LogSegment[] current = segments;
            long sizeExcess = cfg.retentionBytes() < 0 ? Long.MIN_VALUE : totalSize(current) - cfg.retentionBytes();
            int delete = 0;
            while (delete < current.length - 1) {
                LogSegment s = current[delete];
                if (current[delete + 1].baseOffset() > Math.min(highWatermark, logEndOffset)) {
                    break;
                }
                boolean byTime = cfg.retentionMs() >= 0 && nowMs - s.largestTimestamp() > cfg.retentionMs();
                boolean bySize = sizeExcess != Long.MIN_VALUE && sizeExcess - s.sizeInBytes() >= 0;
                if (!byTime && !bySize) {
                    break;
                }
                if (sizeExcess != Long.MIN_VALUE) {
                    sizeExcess -= s.sizeInBytes();
                }
                delete++;
            }
            if (delete > 0) {
                LogSegment[] remaining = Arrays.copyOfRange(current, delete, current.length);
                // Raise the start offset before shrinking the array: readers check against both.
                logStartOffset = Math.max(logStartOffset, remaining[0].baseOffset());
                segments = remaining;
                epochs.truncateFromStart(logStartOffset);
                for (int i = 0; i < delete; i++) {
                    retire(current[i], nowMs);
                    current[i].unlinkFiles();
                }
                LOG.info("{}: retention deleted {} segment(s) below offset {} (retention.ms {}, retention.bytes {})",
                        name, delete, logStartOffset, cfg.retentionMs(), cfg.retentionBytes());
            }
            closeRetired(nowMs);
            return delete;
        } catch (IOException e) {
            throw new UncheckedIOException("retention of " + name + " failed in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- log cleaner (cleanup.policy=compact): see LogCleaner and SegmentCleaner ----

    /** The segments as published now, the log start offset and the truncation count, for the log cleaner. */
    record CleanerView(LogSegment[] segments, long logStartOffset, long truncations) {
    }

    /** Closed (shut down or deleted): the cleaner abandons a cleaning of it. */
    boolean isClosed() {
        return closed;
    }

    CleanerView cleanerView() {
        writeLock.lock();
        try {
            return new CleanerView(segments, logStartOffset, truncations);
        } finally {
            writeLock.unlock();
        }
    }

    /** The lowest log end offset a truncation left since the last call (Long.MAX_VALUE: none); resets it. */
    long takeTruncatedTo() {
        writeLock.lock();
        try {
            long lowest = truncatedToSinceCleaner;
            truncatedToSinceCleaner = Long.MAX_VALUE;
            return lowest;
        } finally {
            writeLock.unlock();
        }
    }

    private void noteTruncation(long newEnd) {
        truncations++;
        truncatedToSinceCleaner = Math.min(truncatedToSinceCleaner, newEnd);
    }

    /**
     * Swaps the cleaner's output {@code <base>.*.cleaned} (closed, fsynced, starting at the first replaced
     * segment's base offset) in for {@code replaced}, a run of closed segments, unless the log changed since
     * {@code view} was taken (a truncation, retention, a close): then returns false and the caller deletes its
     * files. Crash-safe by renames, each step made durable before the next (LogLoader finishes or discards a
     * swap cut short): {@code .cleaned -> .swap}; the replaced segments' files {@code -> .deleted}; {@code .swap}
     * to the live names (the log last); then the {@code .deleted} files are unlinked. Readers holding a replaced
     * segment keep reading it: its channel stays open for {@link #DELETED_SEGMENT_CLOSE_DELAY_MS}.
     */
    boolean replaceSegments(List<LogSegment> replaced, CleanerView view) throws IOException {
        writeLock.lock();
        try {
            if (closed || truncations != view.truncations()) {
                return false;
            }
            LogSegment[] current = segments;
            int first = -1;
            for (int i = 0; i < current.length - 1; i++) {
                if (current[i] == replaced.get(0)) {
                    first = i;
                    break;
                }
            }
            if (first < 0 || first + replaced.size() > current.length - 1) {
                return false; // retention deleted it, or it would reach the active segment
            }
            for (int i = 0; i < replaced.size(); i++) {
                if (current[first + i] != replaced.get(i)) {
                    return false;
                }
            }
            long base = replaced.get(0).baseOffset();
            for (String suffix : LogSegment.FILE_SUFFIXES) {
                Path file = dir.resolve(LogSegment.fileName(base, suffix));
                Files.move(Path.of(file + SegmentCleaner.CLEANED), Path.of(file + SegmentCleaner.SWAP),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFile.fsyncDirectory(dir);
            for (LogSegment old : replaced) {
                for (String suffix : LogSegment.FILE_SUFFIXES) {
                    Path file = dir.resolve(LogSegment.fileName(old.baseOffset(), suffix));
                    if (Files.exists(file)) {
                        Files.move(file, Path.of(file + SegmentCleaner.DELETED), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            for (String suffix : LogSegment.FILE_SUFFIXES) {
                Path file = dir.resolve(LogSegment.fileName(base, suffix));
                Files.move(Path.of(file + SegmentCleaner.SWAP), file, StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFile.fsyncDirectory(dir);
            LogSegment cleaned = LogSegment.open(dir, base);
            try {
                if (!cleaned.loadTrusted(name)) {
                    cleaned.recover(name, config.indexIntervalBytes());
                    cleaned.flush();
                }
            } catch (IOException | RuntimeException e) {
                cleaned.closeQuietly();
                throw e;
            }
            LogSegment[] next = new LogSegment[current.length - replaced.size() + 1];
            System.arraycopy(current, 0, next, 0, first);
            next[first] = cleaned;
            System.arraycopy(current, first + replaced.size(), next, first + 1, current.length - first - replaced.size());
            segments = next;
            long nowMs = System.currentTimeMillis();
            for (LogSegment old : replaced) {
                retire(old, nowMs);
                for (String suffix : LogSegment.FILE_SUFFIXES) {
                    Files.deleteIfExists(Path.of(dir.resolve(LogSegment.fileName(old.baseOffset(), suffix))
                            + SegmentCleaner.DELETED));
                }
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * fsyncs every segment written since the last flush, with its indexes, and advances the recovery point
     * to the log end offset.
     */
    public void flush() throws IOException {
        writeLock.lock();
        try {
            ensureOpen();
            flushSegments();
        } finally {
            writeLock.unlock();
        }
    }

    private void flushSegments() throws IOException {
        fsyncSegments();
        setRecoveryPoint(logEndOffset);
    }

    /** fsyncs the segments with unflushed bytes; the caller moves the recovery point. */
    private void fsyncSegments() throws IOException {
        for (LogSegment s : segments) {
            s.flush();
        }
        unflushedMessages = 0;
    }

    /**
     * Moves the recovery point, rewriting its file first when it changes.
     *
     * @return whether the file was written (and the directory fsynced)
     */
    private boolean setRecoveryPoint(long offset) throws IOException {
        if (offset == recoveryPoint) {
            return false;
        }
        writeRecoveryPoint(offset);
        return true;
    }

    private void writeRecoveryPoint(long offset) throws IOException {
        recoveryPointFile.write(offset);
        recoveryPoint = offset;
    }

    /**
     * Flushes and closes every file, then writes the clean-shutdown marker so the next open skips the CRC
     * scan; a failed flush leaves no marker and the next open recovers. Deleted segments still held open for
     * readers are closed too.
     */
    @Override
    public void close() {
        close(true);
    }

    private void close(boolean clean) {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            boolean marked = false;
            if (clean) {
                try {
                    LogSegment active = segments[segments.length - 1];
                    active.onBecomeInactive();
                    flushSegments();
                    CleanShutdownMarker.write(dir);
                    marked = true;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{}: flush on close failed in {}, the next open will recover the log: {}", name, dir,
                            e.toString());
                }
            }
            closed = true;
            for (LogSegment s : segments) {
                s.closeQuietly();
            }
            closeRetired(Long.MAX_VALUE);
            LOG.info("{}: closed log at log end offset {}{}", name, logEndOffset,
                    marked ? ", clean shutdown marked" : clean ? "" : " without flushing (deleting it)");
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes the log and removes its directory (topic deletion). Nothing is flushed first: the bytes are
     * about to go, and a marker written now could outlive a failed delete of the directory.
     */
    public void deleteFiles() {
        close(false);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            LOG.info("{}: deleted log directory {}", name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting log directory " + dir + " of " + name + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "PartitionLog[" + name + " " + dir + " start=" + logStartOffset + " end=" + logEndOffset + "]";
    }

    private void retire(LogSegment segment, long nowMs) {
        long closeAfter = nowMs > Long.MAX_VALUE - DELETED_SEGMENT_CLOSE_DELAY_MS ? Long.MAX_VALUE
                : nowMs + DELETED_SEGMENT_CLOSE_DELAY_MS;
        retired.addLast(new RetiredSegment(segment, closeAfter));
    }

    private void closeRetired(long nowMs) {
        while (!retired.isEmpty() && retired.peekFirst().closeAfterMs() <= nowMs) {
            retired.pollFirst().segment().closeQuietly();
        }
        if (nowMs == Long.MAX_VALUE) {
            retired.forEach(r -> r.segment().closeQuietly());
            retired.clear();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log of " + name + " in " + dir + " is closed");
        }
    }

    private static long totalSize(LogSegment[] segs) {
        long total = 0;
        for (LogSegment s : segs) {
            total += s.sizeInBytes();
        }
        return total;
    }

    /** Index of the last segment whose base offset is <= offset (0 if none is). */
    private static int floorSegment(LogSegment[] segs, long offset) {
        int lo = 0;
        int hi = segs.length - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segs[mid].baseOffset() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
