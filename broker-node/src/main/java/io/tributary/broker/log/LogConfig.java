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
 */
public record LogConfig(long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                        int indexIntervalBytes, int maxMessageBytes, long flushIntervalMessages) {

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
    }

    /** Kafka's defaults: 1 GiB segments, 7 days segment.ms and retention.ms, 4 KiB index interval. */
    public static LogConfig defaults() {
        return new LogConfig(1024L * 1024 * 1024, SEVEN_DAYS_MS, SEVEN_DAYS_MS, -1, 4096, 1048588, Long.MAX_VALUE);
    }

    /**
     * This config with a topic's overrides applied. Keys this log does not use (cleanup.policy,
     * min.insync.replicas, ...) are ignored; they belong to other parts of the broker.
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
                default -> { }
            }
        }
        return new LogConfig(segBytes, segMs, retMs, retBytes, indexInterval, maxMessage, flushMessages);
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
