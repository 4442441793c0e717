package io.tributary.systemtests;

import io.tributary.client.common.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Record number {@code index} from {@code source}: every field is a pure function of (source, index), so a
 * test can check a consumed record's key, value, timestamp and headers without keeping 400,000 records in
 * memory, and a value is unique across sources, so a duplicate or a record from the wrong writer shows.
 *
 * <p>Keys on every third record (a few thousand distinct keys, so keys repeat across partitions' hash
 * buckets), headers on every fourth, a value of {@code valueBytes} bytes.
 */
public record NumberedRecord(String source, int index, String key, String value, long timestamp, List<Header> headers) {

    private static final String FILLER = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static NumberedRecord of(String source, int index, long baseTimestamp, int valueBytes) {
        String key = index % 3 == 0 ? "key-" + (index % 4999) : null;
        StringBuilder value = new StringBuilder(valueBytes).append(source).append(':').append(index).append(':');
        int start = index % FILLER.length();
        while (value.length() < valueBytes) {
            value.append(FILLER.charAt(start++ % FILLER.length()));
        }
        List<Header> headers = index % 4 == 0
                ? List.of(new Header("seq", ByteBuffer.allocate(4).putInt(index).array()),
                          new Header("source", source.getBytes(StandardCharsets.UTF_8)))
                : List.of();
        return new NumberedRecord(source, index, key, value.toString(), baseTimestamp + index, headers);
    }

    /**
     * The index encoded at the front of a value written by {@code source}, or -1 if the value does not come
     * from that source.
     */
    public static int indexIn(String source, String value) {
        if (value == null || !value.startsWith(source + ":")) {
            return -1;
        }
        int from = source.length() + 1;
        int to = value.indexOf(':', from);
        if (to < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(value, from, to, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public byte[] keyBytes() {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }
}
