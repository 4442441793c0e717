package io.tributary.broker.protocol;

import io.tributary.coordinator.CoordinatorException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A failure that goes back to the client as a Kafka error code plus message (per partition or per
 * topic, as the API has it). Thrown inside the broker, turned into data at the handler.
 */
public final class ApiError extends RuntimeException {

    private final Errors error;

    public ApiError(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    /** The Kafka error for any failure: an ApiError keeps its code, anything else is a server error. */
    public static ApiError from(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiError apiError) {
            return apiError;
        }
        if (cause instanceof java.io.UncheckedIOException io) {
            return new ApiError(Errors.KAFKA_STORAGE_ERROR, "disk error: " + io.getMessage());
        }
        // Coordinator refusals (topic exists, bad assignment, ...) carry their Kafka error code.
        if (cause instanceof CoordinatorException refusal) {
            return new ApiError(Errors.forCode(refusal.errorCode()), refusal.getMessage());
        }
        return new ApiError(Errors.forException(cause), String.valueOf(cause.getMessage()));
    }
}
