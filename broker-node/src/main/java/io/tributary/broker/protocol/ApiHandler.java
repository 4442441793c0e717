package io.tributary.broker.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Handles one Kafka API. Handlers see decoded request data and return response data, never bytes.
 * They must not block the calling event loop: blocking work goes to a worker and the future completes
 * later. A future completing with {@code null} means "send no response" (Produce with acks=0).
 */
@FunctionalInterface
public interface ApiHandler<REQ extends ApiMessage> {
    CompletableFuture<ApiMessage> handle(RequestContext context, REQ request);
}
