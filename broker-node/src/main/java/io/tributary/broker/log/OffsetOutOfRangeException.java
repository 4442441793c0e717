package io.tributary.broker.log;

import org.apache.kafka.common.protocol.Errors;

/** A read asked for an offset outside [logStartOffset, logEndOffset]; maps to Kafka's OFFSET_OUT_OF_RANGE. */
public final class OffsetOutOfRangeException extends RuntimeException {
    private final long requestedOffset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String topicPartition, long requestedOffset, long logStartOffset,
                                     long logEndOffset) {
        super("offset " + requestedOffset + " of " + topicPartition + " is out of range [" + logStartOffset + ", "
                + logEndOffset + "]");
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public Errors error() {
        return Errors.OFFSET_OUT_OF_RANGE;
    }
}
