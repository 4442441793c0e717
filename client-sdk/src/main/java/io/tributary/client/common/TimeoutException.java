package io.tributary.client.common;

/** An operation did not finish within its configured deadline (request.timeout.ms, delivery.timeout.ms, ...). */
public class TimeoutException extends TributaryException {
    public TimeoutException(String message) {
        super(message);
    }

    public TimeoutException(String message, Throwable lastError) {
        super(message, lastError);
    }

    /** A request that timed out may succeed against the same or a new leader. */
    @Override
    public boolean retriable() {
        return true;
    }
}
