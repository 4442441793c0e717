package io.tributary.broker.protocol;

/**
 * A handler's answer that is no response at all but a closed connection: what Kafka does when a
 * Produce with acks=0 fails, since the client reads no response and would otherwise keep sending to a
 * broker that drops its records. The client sees the disconnect and refreshes its metadata.
 */
public final class CloseConnection extends RuntimeException {
    public CloseConnection(String reason) {
        super(reason, null, false, false);
    }
}
