package io.tributary.client.network;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.NetworkException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection to one broker, with requests pipelined on it.
 *
 * <p>Threading: blocking sockets with two threads per connection, a writer and a reader. A client
 * talks to a handful of brokers, so a few threads cost nothing, and blocking I/O keeps the code
 * direct; nothing spins, both threads park in {@code take()}/{@code read()}. Callers only enqueue, so
 * {@link #send} never blocks on I/O. The writer connects, negotiates versions with ApiVersions, then
 * writes queued requests in order, registering each in the in-flight FIFO before its bytes go out.
 * Kafka brokers answer a connection's requests in order, so the reader matches each response to the
 * head of the FIFO and checks the correlation id. Response futures complete on the reader thread.
 *
 * <p>Any I/O error, protocol error or request timeout closes the connection and fails every queued and
 * in-flight request with a retriable {@link NetworkException}/{@link TimeoutException}; the pool opens
 * a new connection on next use. A timed-out request closes the connection, as Kafka's clients do,
 * because a broker that does not answer (crashed host, SIGSTOP) may never close the socket itself.
 */
public final class BrokerConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
    private static final short API_VERSIONS_REQUEST_VERSION = 3;
    private static final int MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

    private final String label;
    private final InetSocketAddress address;
    private final String clientId;
    private final int connectTimeoutMs;
    private final long handshakeTimeoutMs;
    private final ScheduledExecutorService timer;
    private final LinkedBlockingQueue<Queued> outbound = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<InFlight> inFlight = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextCorrelationId = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<NegotiatedVersions> ready = new CompletableFuture<>();
    private final Thread writer;
    private volatile Socket socket;

    private record Queued(OutboundRequest request, CompletableFuture<ClientResponse> future) {
    }

    private record InFlight(int correlationId, ApiKeys api, short version, CompletableFuture<ClientResponse> future) {
    }

    BrokerConnection(String label, InetSocketAddress address, String clientId, int connectTimeoutMs,
                     long handshakeTimeoutMs, ScheduledExecutorService timer) {
        this.label = label;
        this.address = address;
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.timer = timer;
        this.writer = new Thread(this::runWriter, "tributary-" + clientId + "-writer-" + label);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public String label() {
        return label;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Completes once ApiVersions has been exchanged; fails if the connection could not be set up. */
    public CompletableFuture<NegotiatedVersions> ready() {
        return ready;
    }

    /** Requests queued or awaiting a response: the producer caps this at max.in.flight.requests.per.connection. */
    public int outstandingRequests() {
        return outstanding.get();
    }

    /**
     * Queues a request. The future completes with the response (on the reader thread), or with null
     * body once written when no response is expected; it fails with a {@link TributaryException}.
     */
    public CompletableFuture<ClientResponse> send(OutboundRequest request) {
        CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        if (closed.get()) {
            future.completeExceptionally(new NetworkException("Connection to " + label + " is closed"));
            return future;
        }
        outstanding.incrementAndGet();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            TimeoutException e = new TimeoutException(request.api() + " request to " + label + " got no response within "
                    + request.timeoutMs() + " ms");
            if (future.completeExceptionally(e)) {
                closeWith(new NetworkException("Closing connection to " + label + " after a request timed out", e));
            }
        }, request.timeoutMs(), TimeUnit.MILLISECONDS);
        future.whenComplete((r, e) -> {
            outstanding.decrementAndGet();
            timeout.cancel(false);
        });
        outbound.add(new Queued(request, future));
        if (closed.get()) {
            failQueued(new NetworkException("Connection to " + label + " is closed"));
        }
        return future;
    }

    @Override
    public void close() {
        closeWith(new NetworkException("Connection to " + label + " closed by the client"));
    }

    private void runWriter() {
        try {
            InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
            if (resolved.isUnresolved()) {
                throw new IOException("cannot resolve host " + address.getHostString());
            }
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            socket = s;
            s.connect(resolved, connectTimeoutMs);
            if (closed.get()) {
                s.close();
                return;
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Thread reader = new Thread(() -> runReader(in), "tributary-" + clientId + "-reader-" + label);
            reader.setDaemon(true);
            reader.start();
            NegotiatedVersions versions = handshake(out);
            log.debug("Connected to {} at {}; versions {}", label, resolved, versions);
            ready.complete(versions);
            while (!closed.get()) {
                Queued q = outbound.take();
                if (!q.future().isDone()) {
                    write(out, q, versions);
                }
            }
        } catch (InterruptedException e) {
            closeWith(new NetworkException("Writer for " + label + " interrupted"));
        } catch (IOException e) {
            closeWith(new NetworkException("Connection to " + label + " failed: " + e.getMessage(), e));
        } catch (TributaryException e) {
            closeWith(e);
        } catch (RuntimeException e) {
            closeWith(new NetworkException("Connection to " + label + " failed: " + e, e));
        }
    }

    /** Exchanges ApiVersions, falling back to the broker's highest ApiVersions version if it rejects ours. */
    private NegotiatedVersions handshake(OutputStream out) throws IOException, InterruptedException {
        ApiVersionsResponseData response = apiVersions(out, API_VERSIONS_REQUEST_VERSION);
        if (response.errorCode() == Errors.UNSUPPORTED_VERSION.code()) {
            ApiVersionsResponseData.ApiVersion theirs = response.apiKeys().find(ApiKeys.API_VERSIONS.id);
            short fallback = theirs == null ? 0 : (short) Math.min(API_VERSIONS_REQUEST_VERSION, theirs.maxVersion());
            response = apiVersions(out, fallback);
        }
        if (response.errorCode() != Errors.NONE.code()) {
            throw new ApiException(Errors.forCode(response.errorCode()), "ApiVersions handshake with " + label + " failed");
        }
        return NegotiatedVersions.negotiate(label, response);
    }

    private ApiVersionsResponseData apiVersions(OutputStream out, short version) throws IOException, InterruptedException {
        ApiVersionsRequestData body = new ApiVersionsRequestData();
        if (version >= 3) {
            // KIP-511: lets the broker report which client connected; the name must match [a-zA-Z0-9.-]+.
            body.setClientSoftwareName("tributary-client").setClientSoftwareVersion("0.1.0");
        }
        CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        writeFrame(out, ApiKeys.API_VERSIONS, version, body, future, true);
        try {
            return future.get(handshakeTimeoutMs, TimeUnit.MILLISECONDS).body(ApiVersionsResponseData.class);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("ApiVersions handshake with " + label + " got no response within " + handshakeTimeoutMs + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof TributaryException te ? te
                    : new NetworkException("ApiVersions handshake with " + label + " failed", e.getCause());
        }
    }

    private void write(OutputStream out, Queued q, NegotiatedVersions versions) throws IOException {
        OutboundRequest request = q.request();
        short version;
        ApiMessage body;
        try {
            version = versions.versionFor(request.api());
            body = request.bodyForVersion().apply(version);
        } catch (RuntimeException e) {
            q.future().completeExceptionally(e instanceof TributaryException ? e
                    : new TributaryException("Cannot build " + request.api() + " request for " + label + ": " + e.getMessage(), e));
            return;
        }
        writeFrame(out, request.api(), version, body, q.future(), request.expectResponse());
    }

    private void writeFrame(OutputStream out, ApiKeys api, short version, ApiMessage body,
                            CompletableFuture<ClientResponse> future, boolean expectResponse) throws IOException {
        int correlationId = nextCorrelationId.getAndIncrement();
        ByteBuffer frame;
        try {
            frame = RequestFrames.encodeRequest(api, version, clientId, correlationId, body);
        } catch (RuntimeException e) {
            future.completeExceptionally(new TributaryException("Cannot encode " + api + " v" + version + " for " + label + ": " + e.getMessage(), e));
            return;
        }
        if (expectResponse) {
            // Registered before the bytes leave, so the reader can never see a response it cannot match.
            inFlight.add(new InFlight(correlationId, api, version, future));
        }
        out.write(frame.array(), frame.arrayOffset(), frame.limit());
        out.flush();
        if (!expectResponse) {
            future.complete(new ClientResponse(api, version, null));
        }
    }

    private void runReader(InputStream raw) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
        try {
            while (!closed.get()) {
                int size = in.readInt();
                if (size < 0 || size > MAX_RESPONSE_BYTES) {
                    throw new IOException("response frame size " + size + " is out of range");
                }
                byte[] bytes = new byte[size];
                in.readFully(bytes);
                InFlight head = inFlight.poll();
                if (head == null) {
                    throw new IOException("received a response with no request in flight");
                }
                ByteBuffer frame = ByteBuffer.wrap(bytes);
                int correlationId = RequestFrames.correlationId(frame, head.api(), head.version());
                if (correlationId != head.correlationId()) {
                    throw new IOException("response correlation id " + correlationId + " does not match the oldest request's "
                            + head.correlationId() + " (" + head.api() + ")");
                }
                head.future().complete(RequestFrames.decodeBody(frame, head.api(), head.version()));
            }
        } catch (EOFException e) {
            closeWith(new NetworkException(label + " closed the connection"));
        } catch (IOException e) {
            closeWith(new NetworkException("Reading from " + label + " failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            closeWith(new NetworkException("Cannot decode a response from " + label + ": " + e, e));
        }
    }

    private void closeWith(TributaryException cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.debug("Closing connection to {}: {}", label, cause.getMessage());
        ready.completeExceptionally(cause);
        Socket s = socket;
        if (s != null) {
            try {
                s.close(); // unblocks the reader
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (Thread.currentThread() != writer) {
            writer.interrupt(); // unblocks take() or a pending handshake
        }
        failQueued(cause);
        InFlight f;
        while ((f = inFlight.poll()) != null) {
            f.future().completeExceptionally(cause);
        }
    }

    private void failQueued(TributaryException cause) {
        Queued q;
        while ((q = outbound.poll()) != null) {
            q.future().completeExceptionally(cause);
        }
    }
}
