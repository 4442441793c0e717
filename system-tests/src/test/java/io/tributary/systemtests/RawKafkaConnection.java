package io.tributary.systemtests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * One blocking TCP connection speaking the Kafka protocol to one broker, with no routing, retries or
 * metadata: what a test needs to send a request to a broker the official clients would never pick (a
 * produce to a non-leader). kafka-clients' generated messages are the codec.
 */
final class RawKafkaConnection implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    private RawKafkaConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawKafkaConnection open(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(30_000); // a broker that never answers fails the test instead of hanging it
        return new RawKafkaConnection(socket);
    }

    /** The highest version of {@code api} the broker advertises, capped at {@code atMost}. */
    short negotiate(ApiKeys api, short atMost) throws IOException {
        ApiVersionsRequestData request = new ApiVersionsRequestData()
                .setClientSoftwareName("tributary-system-tests").setClientSoftwareVersion("1.0");
        ApiVersionsResponse response = (ApiVersionsResponse) send(ApiKeys.API_VERSIONS, (short) 3, request);
        ApiVersionsResponseData.ApiVersion range = response.data().apiKeys().find(api.id);
        if (range == null) {
            throw new AssertionError("broker does not advertise " + api + "; it advertises " + response.data().apiKeys());
        }
        if (range.minVersion() > atMost) {
            throw new AssertionError("broker supports " + api + " only from v" + range.minVersion() + ", test needs <= v" + atMost);
        }
        return (short) Math.min(range.maxVersion(), atMost);
    }

    AbstractResponse send(ApiKeys api, short version, ApiMessage body) throws IOException {
        return receive(sendOnly(api, version, body));
    }

    /**
     * Writes a request and returns without waiting for the answer (which {@link #receive} reads): the write
     * lands in the kernel's buffers even when the broker is paused, and is answered once it runs again.
     */
    RequestHeader sendOnly(ApiKeys api, short version, ApiMessage body) throws IOException {
        RequestHeader header = new RequestHeader(api, version, "tributary-system-tests", ++correlationId);
        ByteBuffer request = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        out.writeInt(request.remaining());
        out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
        out.flush();
        return header;
    }

    /** Reads the answer to the request {@link #sendOnly} wrote (requests are answered in order). */
    AbstractResponse receive(RequestHeader header) throws IOException {
        int size = in.readInt();
        byte[] response = new byte[size];
        in.readFully(response);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
