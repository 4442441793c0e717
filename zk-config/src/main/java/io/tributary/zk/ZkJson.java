package io.tributary.zk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serializes znode records to and from JSON with one shared, thread-safe mapper. */
public final class ZkJson {

    /*
     * Unknown properties are ignored so a broker can read a record written by a newer broker that
     * added a field (the reason every record carries a "version"). Map entries are sorted so the
     * bytes for equal records are equal, which keeps znode diffs and tests deterministic.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ZkJson() {
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ZkDataException("cannot serialize " + describe(value) + " to JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T fromBytes(byte[] data, Class<T> type) {
        if (data == null || data.length == 0) {
            throw new ZkDataException("cannot parse " + type.getSimpleName() + " from empty znode data", null);
        }
        try {
            return MAPPER.readValue(data, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ZkDataException("cannot parse " + type.getSimpleName() + " from '"
                    + new String(data, StandardCharsets.UTF_8) + "': " + e.getMessage(), e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
