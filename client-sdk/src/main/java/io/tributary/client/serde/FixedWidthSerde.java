package io.tributary.client.serde;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Serdes for fixed-width numbers, big-endian like Kafka's IntegerSerializer, LongSerializer,
 * FloatSerializer and DoubleSerializer, so bytes written by either client read back in the other.
 */
final class FixedWidthSerde<T> implements Serde<T> {
    private final String typeName;
    private final int width;
    private final BiConsumer<ByteBuffer, T> writer;
    private final Function<ByteBuffer, T> reader;

    FixedWidthSerde(String typeName, int width, BiConsumer<ByteBuffer, T> writer, Function<ByteBuffer, T> reader) {
        this.typeName = typeName;
        this.width = width;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(width); // big-endian by default
            writer.accept(buffer, data);
            return buffer.array();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length != width) {
                throw new SerializationException("Size of data received by the " + typeName + " deserializer for topic "
                        + topic + " is " + data.length + " bytes, expected " + width);
            }
            return reader.apply(ByteBuffer.wrap(data));
        };
    }
}
