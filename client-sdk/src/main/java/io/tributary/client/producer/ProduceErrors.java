package io.tributary.client.producer;

import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.protocol.Errors;

/** How the producer reads a partition's error code in a Produce response, beyond "retriable or not". */
final class ProduceErrors {
    private ProduceErrors() {
    }

    /** Whether to refresh metadata before retrying, to learn where the partition's leader is now. */
    static boolean refreshesMetadata(Errors error) {
        return error.exception() instanceof InvalidMetadataException;
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
