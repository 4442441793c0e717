package io.tributary.coordinator.topics;

import io.tributary.coordinator.CoordinatorException;

/** No topic of that name. */
public class UnknownTopicException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 3; // UNKNOWN_TOPIC_OR_PARTITION
    }
}
