package io.tributary.client.common;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

import java.util.Objects;

/**
 * An error a broker returned as a Kafka error code (TOPIC_ALREADY_EXISTS, NOT_LEADER_OR_FOLLOWER, ...).
 * The code is kept as the {@link Errors} value so callers can switch on it.
 */
public class ApiException extends TributaryException {
    private final Errors error;

    public ApiException(Errors error, String message) {
        super(error.name() + ": " + message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public Errors error() {
        return error;
    }

    /** Retriable exactly when Kafka classifies the code as retriable (its exception is a RetriableException). */
    @Override
    public boolean retriable() {
        return error.exception() instanceof RetriableException;
    }
}
