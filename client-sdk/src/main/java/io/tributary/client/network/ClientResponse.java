package io.tributary.client.network;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A response with the version it was read at, since interpreting some fields depends on it.
 * {@code body} is null for requests that get no response (Produce with acks=0).
 */
public record ClientResponse(ApiKeys api, short version, ApiMessage body) {
    public <T extends ApiMessage> T body(Class<T> type) {
        return type.cast(body);
    }
}
