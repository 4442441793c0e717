package io.tributary.coordinator.assignment;

import io.tributary.coordinator.CoordinatorException;

/** A replication factor below 1 or above the number of live brokers. */
public class InvalidReplicationFactorException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public InvalidReplicationFactorException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 38; // INVALID_REPLICATION_FACTOR
    }
}
