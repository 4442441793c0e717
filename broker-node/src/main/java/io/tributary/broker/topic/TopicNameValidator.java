package io.tributary.broker.topic;

import io.tributary.broker.protocol.ApiError;
import org.apache.kafka.common.protocol.Errors;

/** Kafka's rules for topic names, so a name valid here is valid on any Kafka cluster and vice versa. */
public final class TopicNameValidator {

    /** Kafka caps names at 249 so that "<topic>-<partition>" directory names stay under 255 bytes. */
    public static final int MAX_LENGTH = 249;

    private TopicNameValidator() {
    }

    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("a topic name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("topic name \"" + name + "\" is not allowed");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("topic name is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                throw invalid("topic name \"" + name + "\" contains '" + c
                        + "'; only ASCII letters, digits, '.', '_' and '-' are allowed");
            }
        }
    }

    private static ApiError invalid(String message) {
        return new ApiError(Errors.INVALID_TOPIC_EXCEPTION, message);
    }
}
