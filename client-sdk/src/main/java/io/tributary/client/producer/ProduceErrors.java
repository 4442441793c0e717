package io.tributary.client.producer;

import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.protocol.Errors;

import java.util.EnumSet;
import java.util.Set;

/** How the producer reads a partition's error code in a Produce response, beyond "retriable or not". */
final class ProduceErrors {
    /**
     * Retriable codes that Kafka does not class as metadata errors but that, while leadership moves, mean
     * the same thing: the replica set or the leader changed under the request. NOT_LEADER_OR_FOLLOWER,
     * FENCED_LEADER_EPOCH, LEADER_NOT_AVAILABLE and UNKNOWN_TOPIC_OR_PARTITION are metadata errors already.
     */
    private static final Set<Errors> LEADERSHIP_IN_DOUBT = EnumSet.of(Errors.UNKNOWN_LEADER_EPOCH, Errors.NOT_ENOUGH_REPLICAS,
            Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, Errors.REQUEST_TIMED_OUT);

    private ProduceErrors() {
    }

    /** Whether to refresh metadata before retrying, to learn where the partition's leader is now. */
    static boolean refreshesMetadata(Errors error) {
        return error.exception() instanceof InvalidMetadataException || LEADERSHIP_IN_DOUBT.contains(error);
    }

    /** The broker's idea of this producer's sequence differs from the batch's (KIP-98, KIP-360). */
    static boolean isSequenceError(Errors error) {
        return error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || error == Errors.UNKNOWN_PRODUCER_ID;
    }

    /** The broker already has the batch: success for an idempotent producer, whose earlier attempt got through. */
    static boolean isDuplicate(Errors error) {
        return error == Errors.DUPLICATE_SEQUENCE_NUMBER;
    }
}
