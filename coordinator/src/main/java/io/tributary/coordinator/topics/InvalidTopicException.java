package io.tributary.coordinator.topics;

import io.tributary.coordinator.CoordinatorException;

/** A topic name Kafka would refuse: empty, ".", "..", longer than 249 or outside [a-zA-Z0-9._-]. */
public class InvalidTopicException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 17; // INVALID_TOPIC_EXCEPTION
    }
}
