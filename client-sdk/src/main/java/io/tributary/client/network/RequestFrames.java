package io.tributary.client.network;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

import java.nio.ByteBuffer;

/**
 * Kafka's framing: a 4-byte big-endian size, then the header and the body. This is the only place that
 * turns messages into bytes and back, so a codec upgrade touches one class.
 */
public final class RequestFrames {
    private RequestFrames() {
    }

    /** The whole frame, size prefix included, ready to write. */
    public static ByteBuffer encodeRequest(ApiKeys api, short version, String clientId, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(api, version, clientId, correlationId);
        short headerVersion = header.headerVersion();
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.data().size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        buffer.flip();
        return buffer;
    }

    /** The correlation id of a response frame (without its size prefix), read with the header version of {@code api}. */
    public static int correlationId(ByteBuffer frame, ApiKeys api, short version) {
        return ResponseHeader.parse(frame, api.responseHeaderVersion(version)).correlationId();
    }

    /**
     * The body of a response frame positioned after its header. An ApiVersions request at a version the
     * broker does not know is answered at v0 with UNSUPPORTED_VERSION (KIP-511), whatever version we
     * asked for, so that error code (the first field at every version) switches the parse to v0.
     */
    public static ClientResponse decodeBody(ByteBuffer frame, ApiKeys api, short version) {
        short readVersion = version;
        if (api == ApiKeys.API_VERSIONS && frame.remaining() >= 2
                && frame.getShort(frame.position()) == Errors.UNSUPPORTED_VERSION.code()) {
            readVersion = 0;
        }
        ApiMessage body = api == ApiKeys.API_VERSIONS ? new ApiVersionsResponseData() : api.messageType.newResponse();
        body.read(new ByteBufferAccessor(frame), readVersion);
        return new ClientResponse(api, readVersion, body);
    }
}
