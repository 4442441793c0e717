package io.tributary.client.common;

/** The connection to a broker failed or was closed before the response arrived. */
public class NetworkException extends TributaryException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A broken connection is re-established on the next request, possibly to a new leader. */
    @Override
    public boolean retriable() {
        return true;
    }
}
