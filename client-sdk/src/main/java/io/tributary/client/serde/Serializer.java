package io.tributary.client.serde;

/** Turns a key or value into bytes for a topic. Must map null to null (a null value is a tombstone). */
@FunctionalInterface
public interface Serializer<T> {
    byte[] serialize(String topic, T data);
}
