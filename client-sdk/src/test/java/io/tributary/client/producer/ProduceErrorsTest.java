package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProduceErrorsTest {

    /** What a partition answers while its leadership moves: retried, after asking again who leads. */
    @ParameterizedTest
    @EnumSource(value = Errors.class, names = {"NOT_LEADER_OR_FOLLOWER", "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH",
            "LEADER_NOT_AVAILABLE", "NOT_ENOUGH_REPLICAS", "NOT_ENOUGH_REPLICAS_AFTER_APPEND", "REQUEST_TIMED_OUT",
            "UNKNOWN_TOPIC_OR_PARTITION"})
    void failoverErrorsAreRetriedAfterAMetadataRefresh(Errors error) {
        assertTrue(new ApiException(error, "x").retriable(), error + " must be retried");
        assertTrue(ProduceErrors.refreshesMetadata(error), error + " must refresh metadata");
        assertFalse(ProduceErrors.isSequenceError(error));
    }

    @ParameterizedTest
    @EnumSource(value = Errors.class, names = {"OUT_OF_ORDER_SEQUENCE_NUMBER", "UNKNOWN_PRODUCER_ID"})
    void sequenceErrorsAreNotPlainlyRetriable(Errors error) {
        assertTrue(ProduceErrors.isSequenceError(error));
        assertFalse(new ApiException(error, "x").retriable(), "only the sequence rules may retry " + error);
        assertFalse(ProduceErrors.refreshesMetadata(error));
    }

    @ParameterizedTest
    @EnumSource(value = Errors.class, names = {"MESSAGE_TOO_LARGE", "INVALID_PRODUCER_EPOCH", "DUPLICATE_SEQUENCE_NUMBER"})
    void otherRefusalsAreNeitherRetriedNorSequenceErrors(Errors error) {
        assertFalse(new ApiException(error, "x").retriable());
        assertFalse(ProduceErrors.isSequenceError(error));
        assertTrue(ProduceErrors.isDuplicate(error) == (error == Errors.DUPLICATE_SEQUENCE_NUMBER));
    }
}
