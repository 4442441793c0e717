package io.tributary.coordinator;

/**
 * A request the cluster refuses for a reason the Kafka protocol has an error code for; the broker
 * answers with {@link #errorCode()} instead of failing the connection.
 */
public abstract class CoordinatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected CoordinatorException(String message) {
        super(message);
    }

    /** The Kafka protocol error code (org.apache.kafka.common.protocol.Errors#code). */
    public abstract short errorCode();
}
