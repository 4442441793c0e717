package io.tributary.coordinator.topics;

import io.tributary.coordinator.CoordinatorException;

/** The topic exists, collides with an existing one ('.' vs '_'), or is still being deleted. */
public class TopicExistsException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 36; // TOPIC_ALREADY_EXISTS
    }
}
