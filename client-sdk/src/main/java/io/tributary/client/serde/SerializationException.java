package io.tributary.client.serde;

import io.tributary.client.common.TributaryException;

/** Bytes could not be turned into the expected type, or an object into bytes. */
public class SerializationException extends TributaryException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
