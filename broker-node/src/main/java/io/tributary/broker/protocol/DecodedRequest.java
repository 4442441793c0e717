package io.tributary.broker.protocol;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/** What a request frame decodes to. */
public sealed interface DecodedRequest {

    RequestHeader header();

    /** A request at a version this broker implements, body parsed. */
    record Supported(RequestHeader header, AbstractRequest request) implements DecodedRequest {}

    /**
     * ApiVersions at a version newer than ours: the body may not parse, but the client still gets our
     * ranges so it can retry at a version we know (KIP-511).
     */
    record NewerApiVersions(RequestHeader header) implements DecodedRequest {}
}
