package io.tributary.broker.replication;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A blocking Kafka-protocol connection from a follower to a leader broker, one request at a time, encoded and
 * decoded with the Kafka clients' message classes. Owned by one {@link ReplicaFetcher} thread; {@link #close()}
 * may come from another thread to abandon a long-polling fetch.
 */
public final class PeerConnection implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 3_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String clientId;
    private int correlationId;

    public PeerConnection(String host, int port, String clientId, int readTimeoutMs) throws IOException {
        this.clientId = clientId;
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(readTimeoutMs);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code request} at {@code version} and waits for its response. */
    public AbstractResponse send(ApiMessage request, short version) throws IOException {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        int id = ++correlationId;
        out.write(frame(request, version, id, clientId));
        out.flush();

        int responseSize = in.readInt();
        if (responseSize < 0) {
            throw new IOException("negative response size " + responseSize + " from " + socket.getRemoteSocketAddress());
        }
        byte[] body = new byte[responseSize];
        in.readFully(body);
        ByteBuffer response = ByteBuffer.wrap(body);
        ResponseHeader responseHeader = ResponseHeader.parse(response, api.responseHeaderVersion(version));
        if (responseHeader.correlationId() != id) {
            throw new IOException("response correlation id " + responseHeader.correlationId() + " does not match request " + id);
        }
        return AbstractResponse.parseResponse(api, new ByteBufferAccessor(response), version);
    }

    /** A request as it goes on the wire: 4-byte size, request header, body. */
    public static byte[] frame(ApiMessage request, short version, int correlationId, String clientId) {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        short headerVersion = api.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId(clientId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + request.size(cache, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        request.write(accessor, cache, version);
        return frame.array();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
