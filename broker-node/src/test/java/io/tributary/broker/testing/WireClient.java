package io.tributary.broker.testing;

import io.tributary.broker.replication.PeerConnection;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A blocking, one-request-at-a-time Kafka wire client for tests: sends request data at an exact
 * version and parses the answer with the official codec, so tests see precisely what a client would.
 */
public final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    public WireClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public AbstractResponse send(ApiMessage request, short version) throws IOException {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        int id = ++correlationId;
        sendRaw(encode(request, version, id));
        ByteBuffer response = readFrame();
        ResponseHeader header = ResponseHeader.parse(response,
                api == ApiKeys.API_VERSIONS ? 0 : api.responseHeaderVersion(version));
        if (header.correlationId() != id) {
            throw new IOException("correlation id " + header.correlationId() + " does not match request " + id);
        }
        return AbstractResponse.parseResponse(api, new ByteBufferAccessor(response), version);
    }

    /** Sends a request that expects no response (Produce with acks=0). */
    public void sendOneWay(ApiMessage request, short version) throws IOException {
        sendRaw(encode(request, version, ++correlationId));
    }

    public static byte[] encode(ApiMessage request, short version, int correlationId) {
        return PeerConnection.frame(request, version, correlationId, "wire-test");
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** True when the broker has closed this connection (reads end of stream or a reset). */
    public boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
