package io.tributary.coordinator.topics;

import io.tributary.coordinator.CoordinatorException;

/** An explicit assignment with gaps in the partition numbers, duplicate replicas or unequal replica counts. */
public class InvalidReplicaAssignmentException extends CoordinatorException {

    private static final long serialVersionUID = 1L;

    public InvalidReplicaAssignmentException(String message) {
        super(message);
    }

    @Override
    public short errorCode() {
        return 39; // INVALID_REPLICA_ASSIGNMENT
    }
}
