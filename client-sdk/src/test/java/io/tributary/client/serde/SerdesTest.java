package io.tributary.client.serde;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.DoubleDeserializer;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.FloatSerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDDeserializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every serde round-trips and writes the same bytes as the matching kafka-clients serializer. */
class SerdesTest {
    private static final String TOPIC = "t";

    private static <T> void assertRoundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize(TOPIC, value);
        assertEquals(value, serde.deserializer().deserialize(TOPIC, bytes));
    }

    @Test
    void bytesAreUntouched() {
        byte[] data = {0, 1, -1, 127, -128};
        assertArrayEquals(new ByteArraySerializer().serialize(TOPIC, data), Serdes.bytes().serializer().serialize(TOPIC, data));
        assertArrayEquals(data, Serdes.bytes().deserializer().deserialize(TOPIC, data));
    }

    @Test
    void stringIsUtf8LikeKafka() {
        for (String s : List.of("", "hello", "grüße", "日本語", "emoji \uD83D\uDE00")) {
            byte[] ours = Serdes.string().serializer().serialize(TOPIC, s);
            assertArrayEquals(new StringSerializer().serialize(TOPIC, s), ours);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), ours);
            assertEquals(s, new StringDeserializer().deserialize(TOPIC, ours));
            assertRoundTrip(Serdes.string(), s);
        }
    }

    @Test
    void integerIsBigEndianLikeKafka() {
        for (int v : new int[]{0, 1, -1, 258, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            byte[] ours = Serdes.integer().serializer().serialize(TOPIC, v);
            assertArrayEquals(new IntegerSerializer().serialize(TOPIC, v), ours);
            assertEquals(v, new IntegerDeserializer().deserialize(TOPIC, ours));
            assertRoundTrip(Serdes.integer(), v);
        }
        assertArrayEquals(new byte[]{0, 0, 1, 2}, Serdes.integer().serializer().serialize(TOPIC, 258));
    }

    @Test
    void longIsBigEndianLikeKafka() {
        for (long v : new long[]{0, 1, -1, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
            byte[] ours = Serdes.long64().serializer().serialize(TOPIC, v);
            assertArrayEquals(new LongSerializer().serialize(TOPIC, v), ours);
            assertEquals(v, new LongDeserializer().deserialize(TOPIC, ours));
            assertRoundTrip(Serdes.long64(), v);
        }
    }

    @Test
    void floatAndDoubleMatchKafka() {
        for (float v : new float[]{0f, -0f, 1.5f, Float.NaN, Float.MAX_VALUE, Float.NEGATIVE_INFINITY}) {
            assertArrayEquals(new FloatSerializer().serialize(TOPIC, v), Serdes.float32().serializer().serialize(TOPIC, v));
            assertRoundTrip(Serdes.float32(), v);
        }
        for (double v : new double[]{0d, -0d, Math.PI, Double.NaN, Double.MIN_VALUE}) {
            byte[] ours = Serdes.float64().serializer().serialize(TOPIC, v);
            assertArrayEquals(new DoubleSerializer().serialize(TOPIC, v), ours);
            assertEquals(v, new DoubleDeserializer().deserialize(TOPIC, ours));
            assertRoundTrip(Serdes.float64(), v);
        }
    }

    @Test
    void uuidIsItsStringFormLikeKafka() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        byte[] ours = Serdes.uuid().serializer().serialize(TOPIC, id);
        assertArrayEquals(new UUIDSerializer().serialize(TOPIC, id), ours);
        assertEquals("123e4567-e89b-12d3-a456-426614174000", new String(ours, StandardCharsets.UTF_8));
        assertEquals(id, new UUIDDeserializer().deserialize(TOPIC, ours));
        assertRoundTrip(Serdes.uuid(), UUID.randomUUID());
    }

    public record Order(String id, int quantity, List<String> tags) {
    }

    @Test
    void jsonRoundTripsRecordsAndMaps() {
        Order order = new Order("o-1", 3, List.of("gift", "express"));
        byte[] bytes = Serdes.json(Order.class).serializer().serialize(TOPIC, order);
        assertEquals("{\"id\":\"o-1\",\"quantity\":3,\"tags\":[\"gift\",\"express\"]}", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(order, Serdes.json(Order.class).deserializer().deserialize(TOPIC, bytes));
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Serdes.json(Map.class).deserializer().deserialize(TOPIC, bytes);
        assertEquals(3, map.get("quantity"));
    }

    @Test
    void nullMapsToNullEverywhere() {
        for (Serde<?> serde : List.of(Serdes.bytes(), Serdes.string(), Serdes.integer(), Serdes.long64(), Serdes.float32(),
                Serdes.float64(), Serdes.uuid(), Serdes.json(Order.class))) {
            @SuppressWarnings("unchecked")
            Serde<Object> s = (Serde<Object>) serde;
            assertNull(s.serializer().serialize(TOPIC, null));
            assertNull(s.deserializer().deserialize(TOPIC, null));
        }
    }

    @Test
    void wrongSizeOrBadTextIsASerializationErrorNamingTheTopic() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> Serdes.integer().deserializer().deserialize("payments", new byte[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("payments") && e.getMessage().contains("3 bytes"), e.getMessage());
        assertThrows(SerializationException.class, () -> Serdes.long64().deserializer().deserialize(TOPIC, new byte[4]));
        assertThrows(SerializationException.class,
                () -> Serdes.uuid().deserializer().deserialize(TOPIC, "not-a-uuid".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerializationException.class,
                () -> Serdes.json(Order.class).deserializer().deserialize(TOPIC, "{oops".getBytes(StandardCharsets.UTF_8)));
    }
}
