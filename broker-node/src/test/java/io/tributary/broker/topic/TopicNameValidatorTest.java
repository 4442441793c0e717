package io.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.broker.protocol.ApiError;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class TopicNameValidatorTest {

    @Test
    void acceptsWhatKafkaAccepts() {
        for (String name : new String[]{"a", "orders", "Orders_2024.v1-eu", "x".repeat(249), "..."}) {
            assertDoesNotThrow(() -> TopicNameValidator.validate(name), name);
        }
    }

    @Test
    void refusesWhatKafkaRefuses() {
        for (String name : new String[]{"", ".", "..", "x".repeat(250), "with space", "slash/", "uml\u00e4ut", "colon:"}) {
            ApiError error = assertThrows(ApiError.class, () -> TopicNameValidator.validate(name), name);
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION, error.error(), name);
        }
    }
}
