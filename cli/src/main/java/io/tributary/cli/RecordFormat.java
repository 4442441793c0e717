package io.tributary.cli;

import io.tributary.client.common.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How the console consumer prints one record, following Kafka's console consumer
 * (DefaultMessageFormatter): the enabled fields in the order timestamp, partition, offset, headers,
 * key, value, separated by {@code key.separator} (a tab by default). A null key or value prints as
 * {@code null}; headers print as {@code key:value} joined by {@code headers.separator}.
 */
public record RecordFormat(boolean printTimestamp, boolean printPartition, boolean printOffset, boolean printHeaders,
                           boolean printKey, boolean printValue, String keySeparator, String headersSeparator) {

    public static final String DEFAULT_SEPARATOR = "\t";

    /** Values only, like a plain {@code kafka-console-consumer.sh}. */
    public static RecordFormat valuesOnly() {
        return new RecordFormat(false, false, false, false, false, true, DEFAULT_SEPARATOR, ",");
    }

    /** The record's line, without the line terminator. */
    public String format(int partition, long offset, long timestamp, List<Header> headers, String key, String value) {
        List<String> fields = new ArrayList<>(6);
        if (printTimestamp) {
            fields.add(timestamp < 0 ? "NO_TIMESTAMP" : "CreateTime:" + timestamp);
        }
        if (printPartition) {
            fields.add("Partition:" + partition);
        }
        if (printOffset) {
            fields.add("Offset:" + offset);
        }
        if (printHeaders) {
            fields.add(formatHeaders(headers));
        }
        if (printKey) {
            fields.add(String.valueOf(key));
        }
        if (printValue) {
            fields.add(String.valueOf(value));
        }
        return String.join(keySeparator, fields);
    }

    private String formatHeaders(List<Header> headers) {
        if (headers.isEmpty()) {
            return "NO_HEADERS";
        }
        List<String> parts = new ArrayList<>(headers.size());
        for (Header h : headers) {
            parts.add(h.key() + ":" + (h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return String.join(headersSeparator, parts);
    }
}
