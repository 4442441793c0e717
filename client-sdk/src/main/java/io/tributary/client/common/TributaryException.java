package io.tributary.client.common;

/** Root of every exception the Tributary client throws or fails a future with. */
public class TributaryException extends RuntimeException {
    public TributaryException(String message) {
        super(message);
    }

    public TributaryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same operation may succeed if tried again (after a metadata refresh, say). */
    public boolean retriable() {
        return false;
    }
}
