package io.tributary.zk;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Random ids in the text form of Kafka's {@code org.apache.kafka.common.Uuid}: the 16 bytes of a
 * UUID (most significant long first), url-safe base64 without padding, 22 characters. Used for
 * topic ids and the cluster id, so a broker can {@code Uuid.fromString} them; zk-config does not
 * depend on kafka-clients, hence this small copy of the format (not of Kafka's code).
 */
public final class RandomIds {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private RandomIds() {
    }

    /**
     * A new random id. Like Kafka, never one whose text starts with '-' (it would read as a
     * command-line flag) nor the all-zero or the reserved metadata-topic id (0, 1).
     */
    public static String next() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            if (isReserved(uuid)) {
                continue;
            }
            String text = toText(uuid);
            if (!text.startsWith("-")) {
                return text;
            }
        }
    }

    public static String toText(UUID uuid) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits());
        bytes.putLong(uuid.getLeastSignificantBits());
        return ENCODER.encodeToString(bytes.array());
    }

    /** Parses the 22-character text form; throws IllegalArgumentException naming the bad text. */
    public static UUID fromText(String text) {
        if (text == null || text.length() != 22) {
            throw new IllegalArgumentException("an id must be 22 characters of url-safe base64, got: '" + text + "'");
        }
        byte[] raw;
        try {
            raw = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an id must be url-safe base64, got: '" + text + "'", e);
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    private static boolean isReserved(UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        return msb == 0 && (lsb == 0 || lsb == 1);
    }
}
