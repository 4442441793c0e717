package io.tributary.client.network;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.Objects;
import java.util.function.Function;

/**
 * A request to send once the connection knows which version to use: {@code bodyForVersion} builds the
 * body for the negotiated version, so fields that a version lacks can be left at their defaults
 * (writing a non-default value for an absent field throws UnsupportedVersionException).
 *
 * @param expectResponse false only for Produce with acks=0, which the broker never answers
 * @param timeoutMs      how long to wait for the response before failing and closing the connection
 */
public record OutboundRequest(ApiKeys api, Function<Short, ApiMessage> bodyForVersion, boolean expectResponse, long timeoutMs) {
    public OutboundRequest {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(bodyForVersion, "bodyForVersion");
    }

    public static OutboundRequest of(ApiKeys api, Function<Short, ApiMessage> bodyForVersion, long timeoutMs) {
        return new OutboundRequest(api, bodyForVersion, true, timeoutMs);
    }
}
