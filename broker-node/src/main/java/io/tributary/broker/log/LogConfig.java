package io.tributary.broker.log;

import java.util.Map;

/**
 * Storage settings of one partition log, named after Kafka's topic configs.
 *
 * @param segmentBytes          {@code segment.bytes}: roll the active segment before it would exceed this size
 * @param segmentMs             {@code segment.ms}: roll once the active segment's first batch is this old (KIP-33)
 * @param retentionMs           {@code retention.ms}: delete closed segments whose newest timestamp is older; -1 = forever
 * @param retentionBytes        {@code retention.bytes}: delete the oldest closed segments while the log stays at
 *                              least this big without them; -1 = unlimited
 * @param indexIntervalBytes    {@code index.interval.bytes}: bytes of log between two sparse index entries
 * @param maxMessageBytes       {@code max.message.bytes}: the largest record batch accepted
 * @param flushIntervalMessages {@code flush.messages}: fsync after this many messages; Long.MAX_VALUE leaves
 *                              durability to the OS page cache plus replication, as Kafka does by default
 * @param cleanupPolicy         {@code cleanup.policy}: delete (retention applies), compact (the log cleaner keeps
 *                              the latest record per key; retention.ms/bytes delete nothing) or both
 * @param deleteRetentionMs     {@code delete.retention.ms}: how long a tombstone (null value) stays after the
 *                              cleaner first rewrote its batch (KIP-534 delete horizon)
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the share of not-yet-cleaned bytes that
 *                              makes a compacted log worth cleaning
 * @param minCompactionLagMs    {@code min.compaction.lag.ms}: a segment newer than this is not cleaned yet
 * @param maxCompactionLagMs    {@code max.compaction.lag.ms}: a dirty segment older than this is cleaned
 *                              whatever the ratio
 */
public record LogConfig(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                        int indexIntervalBytes, int maxMessageBytes, long flushIntervalMessages,
                        CleanupPolicy cleanupPolicy, long deleteRetentionMs, double minCleanableDirtyRatio,
                        long minCompactionLagMs, long maxCompactionLagMs) {

    /** Kafka's delete.retention.ms default: one day. */
    public static final long DEFAULT_DELETE_RETENTION_MS = 86_400_000L;
    /** Kafka's min.cleanable.dirty.ratio default. */
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;

    /** Smallest segment that can hold one v2 batch header (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
    public static final long MIN_SEGMENT_BYTES = 61;

    private static final long SEVEN_DAYS_MS = 7L * 24 * 60 * 60 * 1000;

    public LogConfig {
        // Positions inside a segment are ints (index entries, FileRecords), so a segment must stay below 2 GiB.
        requireRange("segment.bytes", segmentBytes, MIN_SEGMENT_BYTES, Integer.MAX_VALUE);
        requireRange("segment.ms", segmentMs, 1, Long.MAX_VALUE);
        requireRange("retention.ms", retentionMs, -1, Long.MAX_VALUE);
        requireRange("retention.bytes", retentionBytes, -1, Long.MAX_VALUE);
        requireRange("index.interval.bytes", indexIntervalBytes, 0, Integer.MAX_VALUE);
        requireRange("max.message.bytes", maxMessageBytes, 0, Integer.MAX_VALUE);
        requireRange("flush.messages", flushIntervalMessages, 1, Long.MAX_VALUE);
        if (cleanupPolicy == null) {
            throw new IllegalArgumentException("topic config cleanup.policy is missing");
        }
        requireRange("delete.retention.ms", deleteRetentionMs, 0, Long.MAX_VALUE);
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("topic config min.cleanable.dirty.ratio=" + minCleanableDirtyRatio
                    + " is out of range [0, 1]");
        }
        requireRange("min.compaction.lag.ms", minCompactionLagMs, 0, Long.MAX_VALUE);
        requireRange("max.compaction.lag.ms", maxCompactionLagMs, 1, Long.MAX_VALUE);
        if (minCompactionLagMs > maxCompactionLagMs) {
            throw new IllegalArgumentException("topic config min.compaction.lag.ms=" + minCompactionLagMs
                    + " is larger than max.compaction.lag.ms=" + maxCompactionLagMs);
        }
    }

    /** The settings without compaction ones: cleanup.policy=delete and Kafka's compaction defaults. */
    public LogConfig(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes, int indexIntervalBytes,
                     int maxMessageBytes, long flushIntervalMessages) {
        this(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, maxMessageBytes,
                flushIntervalMessages, CleanupPolicy.DELETE, DEFAULT_DELETE_RETENTION_MS,
                DEFAULT_MIN_CLEANABLE_DIRTY_RATIO, 0, Long.MAX_VALUE);
    }

    /** This config with other compaction settings (the broker's log.cleanup.policy, log.cleaner.* defaults). */
    public LogConfig withCompaction(CleanupPolicy policy, long deleteRetention, double dirtyRatio, long minLag,
                                    long maxLag) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes,
                maxMessageBytes, flushIntervalMessages, policy, deleteRetention, dirtyRatio, minLag, maxLag);
    }

    /** The log cleaner keeps only the latest record per key (cleanup.policy contains compact). */
    public boolean compact() {
        return cleanupPolicy.compact();
    }

    /** Kafka's defaults: 1 GiB segments, 7 days segment.ms and retention.ms, 4 KiB index interval. */
    public static LogConfig defaults() {
        return new LogConfig(1024L * 1024 * 1024, SEVEN_DAYS_MS, SEVEN_DAYS_MS, -1, 4096, 1048588, Long.MAX_VALUE);
    }

    /**
     * This config with a topic's overrides applied. Keys this log does not use (min.insync.replicas, ...)
     * are ignored; they belong to other parts of the broker.
     *
     * @throws IllegalArgumentException naming the key and value when a value is not a number or out of range
     */
    public LogConfig withOverrides(Map<String, String> topicConfig) {
        long segBytes = segmentBytes;
        long segMs = segmentMs;
        long retMs = retentionMs;
        long retBytes = retentionBytes;
        int indexInterval = indexIntervalBytes;
        int maxMessage = maxMessageBytes;
        long flushMessages = flushIntervalMessages;
        CleanupPolicy policy = cleanupPolicy;
        long deleteRetention = deleteRetentionMs;
        double dirtyRatio = minCleanableDirtyRatio;
        long minLag = minCompactionLagMs;
        long maxLag = maxCompactionLagMs;
        for (Map.Entry<String, String> e : topicConfig.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "segment.bytes" -> segBytes = parse(key, value, MIN_SEGMENT_BYTES, Integer.MAX_VALUE);
                case "segment.ms" -> segMs = parse(key, value, 1, Long.MAX_VALUE);
                case "retention.ms" -> retMs = parse(key, value, -1, Long.MAX_VALUE);
                case "retention.bytes" -> retBytes = parse(key, value, -1, Long.MAX_VALUE);
                case "index.interval.bytes" -> indexInterval = (int) parse(key, value, 0, Integer.MAX_VALUE);
                case "max.message.bytes" -> maxMessage = (int) parse(key, value, 0, Integer.MAX_VALUE);
                case "flush.messages" -> flushMessages = parse(key, value, 1, Long.MAX_VALUE);
                case "cleanup.policy" -> policy = CleanupPolicy.parse(key, value);
                case "delete.retention.ms" -> deleteRetention = parse(key, value, 0, Long.MAX_VALUE);
                case "min.cleanable.dirty.ratio" -> dirtyRatio = parseRatio(key, value);
                case "min.compaction.lag.ms" -> minLag = parse(key, value, 0, Long.MAX_VALUE);
                case "max.compaction.lag.ms" -> maxLag = parse(key, value, 1, Long.MAX_VALUE);
                default -> { }
            }
        }
        return new LogConfig(segBytes, segMs, retMs, retBytes, indexInterval, maxMessage, flushMessages, policy,
                deleteRetention, dirtyRatio, minLag, maxLag);
    }

    private static double parseRatio(String key, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("topic config " + key + "=" + value + " is not a number");
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new IllegalArgumentException("topic config " + key + "=" + value + " is out of range [0, 1]");
        }
        return parsed;
    }

    private static long parse(String key, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("topic config " + key + "=" + value + " is not an integer");
        }
        requireRange(key, parsed, min, max);
        return parsed;
    }

    private static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "topic config " + key + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
    }
}
