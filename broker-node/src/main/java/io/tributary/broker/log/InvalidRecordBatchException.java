package io.tributary.broker.log;

import org.apache.kafka.common.protocol.Errors;

/**
 * A batch of an append failed validation; nothing of that append was written.
 * {@link #error()} is the Kafka error code the Produce response should carry for it.
 */
public final class InvalidRecordBatchException extends RuntimeException {
    private final Errors error;

    public InvalidRecordBatchException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
