package io.tributary.broker.protocol;

/** A frame that cannot be understood: unknown API, unsupported version, bad header or body. The connection is closed. */
public final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidRequestException(String message) {
        super(message);
    }
}
