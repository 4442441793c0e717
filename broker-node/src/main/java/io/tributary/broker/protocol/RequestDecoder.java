package io.tributary.broker.protocol;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/** Decodes one request frame (without its size prefix) with the generated codec. */
public final class RequestDecoder {

    private final SupportedApis supported;

    public RequestDecoder(SupportedApis supported) {
        this.supported = supported;
    }

    /** @throws InvalidRequestException when the frame cannot be served; the caller closes the connection */
    public DecodedRequest decode(ByteBuffer frame) {
        if (frame.remaining() < 4) {
            throw new InvalidRequestException("request of " + frame.remaining() + " bytes is too short for a header");
        }
        short apiKey = frame.getShort(frame.position());
        short apiVersion = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(apiKey)) {
            throw new InvalidRequestException("unknown API key " + apiKey);
        }
        ApiKeys api = ApiKeys.forId(apiKey);
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("malformed header for " + api + " v" + apiVersion + ": " + e.getMessage(), e);
        }
        if (!supported.supports(api, apiVersion)) {
            if (api == ApiKeys.API_VERSIONS && apiVersion > api.latestVersion()) {
                return new DecodedRequest.NewerApiVersions(header);
            }
            throw new InvalidRequestException(api + " v" + apiVersion + " is not supported (client "
                    + header.clientId() + ")");
        }
        try {
            AbstractRequest request = AbstractRequest.parseRequest(api, apiVersion, new ByteBufferAccessor(frame)).request;
            return new DecodedRequest.Supported(header, request);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("malformed " + api + " v" + apiVersion + " body from client "
                    + header.clientId() + ": " + e, e);
        }
    }
}
