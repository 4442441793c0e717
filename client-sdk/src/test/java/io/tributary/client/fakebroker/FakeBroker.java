package io.tributary.client.fakebroker;

import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One broker of a {@link FakeCluster}: a real TCP listener on 127.0.0.1 speaking the Kafka wire protocol
 * through kafka-clients' generated message classes. Each connection has a reader thread, which parses
 * frames and counts Produce requests, and a handler thread, which answers them in order (as a broker
 * must); the split lets a test hold the answers until several requests are in flight. {@link #stop()}
 * closes the listener and every connection, so the port refuses connections afterwards, like a dead
 * broker's.
 */
public final class FakeBroker {
    /** What the handler decides for one request: a response, or to close the connection without one. */
    record Reply(ApiMessage body, boolean dropConnection) {
    }

    interface Handler {
        Reply handle(int brokerId, RequestHeader header, ApiMessage request);
    }

    private record Request(RequestHeader header, ApiMessage body) {
    }

    private final int id;
    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger producesReceived = new AtomicInteger();
    private volatile CountDownLatch holdProduceResponses = new CountDownLatch(0);
    private volatile boolean dropEveryConnection;

    FakeBroker(int id, Handler handler) throws IOException {
        this.id = id;
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-broker-" + id + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int id() {
        return id;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far, including those closed at once by {@link #dropEveryConnection()}. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** From now on, accept connections and close them at once: a broker that is there and yet is not. */
    public void dropEveryConnection() {
        dropEveryConnection = true;
    }

    /** No Produce response is written until {@code count} Produce requests have arrived (up to 10 s). */
    public void holdProduceResponsesUntil(int count) {
        CountDownLatch latch = new CountDownLatch(count);
        for (int i = 0; i < producesReceived.get(); i++) {
            latch.countDown();
        }
        holdProduceResponses = latch;
    }

    /** Closes the listener and every connection: the port refuses connections from now on. */
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(FakeBroker::closeQuietly);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (dropEveryConnection) {
                closeQuietly(s);
                continue;
            }
            sockets.add(s);
            LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
            start("reader", () -> read(s, requests));
            start("handler", () -> answer(s, requests));
        }
    }

    private void start(String role, Runnable body) {
        Thread t = new Thread(body, "fake-broker-" + id + "-" + role);
        t.setDaemon(true);
        t.start();
    }

    private void read(Socket s, LinkedBlockingQueue<Request> requests) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer buffer = ByteBuffer.wrap(frame);
                RequestHeader header = RequestHeader.parse(buffer);
                ApiMessage body = header.apiKey().messageType.newRequest();
                body.read(new ByteBufferAccessor(buffer), header.apiVersion());
                requests.add(new Request(header, body));
                if (header.apiKey() == ApiKeys.PRODUCE) {
                    producesReceived.incrementAndGet();
                    holdProduceResponses.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            requests.add(new Request(null, null)); // tells the handler to stop
        }
    }

    private void answer(Socket s, LinkedBlockingQueue<Request> requests) {
        try {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                Request r = requests.take();
                if (r.header() == null) {
                    return;
                }
                if (r.header().apiKey() == ApiKeys.PRODUCE) {
                    holdProduceResponses.await(10, TimeUnit.SECONDS);
                }
                Reply reply = handler.handle(id, r.header(), r.body());
                if (reply.dropConnection()) {
                    closeQuietly(s);
                    return;
                }
                if (reply.body() == null) {
                    continue; // acks=0: no response
                }
                out.write(frame(r.header(), reply.body()));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly(s);
        }
    }

    private static byte[] frame(RequestHeader request, ApiMessage body) {
        short version = request.apiVersion();
        short headerVersion = request.apiKey().responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
