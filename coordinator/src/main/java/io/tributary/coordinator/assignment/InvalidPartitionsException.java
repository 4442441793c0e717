package io.tributary.coordinator.assignment;

import io.tributary.coordinator.CoordinatorException;

/** A partition count below 1. */
public class InvalidPartitionsException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public InvalidPartitionsException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 37; // INVALID_PARTITIONS
    }
}
