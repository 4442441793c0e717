package io.tributary.client.serde;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The built-in serdes. Every one produces the same bytes as the matching serializer in Kafka's clients
 * (ByteArraySerializer, StringSerializer with UTF-8, IntegerSerializer, LongSerializer, FloatSerializer,
 * DoubleSerializer, UUIDSerializer), so data is interchangeable between Tributary and Kafka clients.
 * All of them map null to null.
 */
public final class Serdes {
    private static final Serde<byte[]> BYTES = Serde.of((topic, data) -> data, (topic, data) -> data);
    private static final Serde<String> STRING = Serde.of(
            (topic, data) -> data == null ? null : data.getBytes(StandardCharsets.UTF_8),
            (topic, data) -> data == null ? null : new String(data, StandardCharsets.UTF_8));
    private static final Serde<Integer> INTEGER = new FixedWidthSerde<>("Integer", 4, ByteBuffer::putInt, ByteBuffer::getInt);
    private static final Serde<Long> LONG = new FixedWidthSerde<>("Long", 8, ByteBuffer::putLong, ByteBuffer::getLong);
    // Raw bits, as Kafka's FloatSerializer/DoubleSerializer, so NaN payloads survive unchanged.
    private static final Serde<Float> FLOAT = new FixedWidthSerde<>("Float", 4,
            (b, v) -> b.putInt(Float.floatToRawIntBits(v)), b -> Float.intBitsToFloat(b.getInt()));
    private static final Serde<Double> DOUBLE = new FixedWidthSerde<>("Double", 8,
            (b, v) -> b.putLong(Double.doubleToRawLongBits(v)), b -> Double.longBitsToDouble(b.getLong()));
    // Kafka's UUIDSerializer writes the canonical 36-character string form, not the 16 raw bytes.
    private static final Serde<UUID> UUID_SERDE = Serde.of(
            (topic, data) -> data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8),
            (topic, data) -> {
                if (data == null) {
                    return null;
                }
                String s = new String(data, StandardCharsets.UTF_8);
                try {
                    return UUID.fromString(s);
                } catch (IllegalArgumentException e) {
                    throw new SerializationException("Value '" + s + "' read from topic " + topic + " is not a UUID", e);
                }
            });
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    private Serdes() {
    }

    public static Serde<byte[]> bytes() {
        return BYTES;
    }

    public static Serde<String> string() {
        return STRING;
    }

    public static Serde<Integer> integer() {
        return INTEGER;
    }

    public static Serde<Long> long64() {
        return LONG;
    }

    public static Serde<Float> float32() {
        return FLOAT;
    }

    public static Serde<Double> float64() {
        return DOUBLE;
    }

    public static Serde<UUID> uuid() {
        return UUID_SERDE;
    }

    /** JSON via Jackson, UTF-8 encoded, reading values back as {@code type}. */
    public static <T> Serde<T> json(Class<T> type) {
        return new JsonSerde<>(JSON_MAPPER, type);
    }
}
