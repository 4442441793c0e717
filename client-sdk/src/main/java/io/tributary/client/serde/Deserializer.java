package io.tributary.client.serde;

/** Turns the bytes of a key or value read from a topic back into an object. Must map null to null. */
@FunctionalInterface
public interface Deserializer<T> {
    T deserialize(String topic, byte[] data);
}
