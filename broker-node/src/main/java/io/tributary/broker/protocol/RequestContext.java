package io.tributary.broker.protocol;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;

/** Who sent a request and at which API version: what a handler may need besides the request body. */
public record RequestContext(RequestHeader header, String connectionId) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
