package io.tributary.broker.network;

import io.netty.buffer.Unpooled;
import io.tributary.broker.fetch.FetchHandler;
import io.tributary.broker.metrics.ConnectionMetrics;
import io.tributary.broker.metrics.RequestMetrics;
import io.tributary.broker.protocol.CloseConnection;
import io.tributary.broker.protocol.DecodedRequest;
import io.tributary.broker.protocol.InvalidRequestException;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.protocol.RequestDecoder;
import io.tributary.broker.protocol.RequestDispatcher;
import io.tributary.broker.protocol.ResponseEncoder;
import io.tributary.broker.protocol.ResponseFrame;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: splits the byte stream into size-prefixed frames, hands each request to the
 * dispatcher, and writes responses strictly in request order, because clients pipeline requests and
 * match responses by position. Everything here runs on the connection's event loop.
 */
final class KafkaConnection {

    private static final Logger log = LoggerFactory.getLogger(KafkaConnection.class);
    /** Requests a client may have outstanding before we stop reading from it: bounds memory per connection. */
    private static final int MAX_PENDING_RESPONSES = 256;

    private final NetSocketInternal socket;
    private final Context context;
    private final RequestDecoder decoder;
    private final RequestDispatcher dispatcher;
    private final int maxFrameBytes;
    private final int brokerId;
    private final String connectionId;
    private final ConnectionMetrics connections;
    private final RequestMetrics requests;
    private final RecordParser parser = RecordParser.newFixed(4);
    private final ArrayDeque<PendingResponse> pending = new ArrayDeque<>();
    private boolean expectingSize = true;
    private boolean closed;
    private boolean pausedForBackpressure;

    KafkaConnection(NetSocketInternal socket, Context context, RequestDecoder decoder, RequestDispatcher dispatcher,
                    int maxFrameBytes, int brokerId, ConnectionMetrics connections, RequestMetrics requests) {
        this.connections = connections;
        this.requests = requests;
        this.socket = socket;
        this.context = context;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.maxFrameBytes = maxFrameBytes;
        this.brokerId = brokerId;
        this.connectionId = socket.localAddress() + "-" + socket.remoteAddress();
    }

    void start() {
        parser.handler(this::onRecord);
        socket.handler(parser);
        connections.opened();
        socket.closeHandler(v -> {
            closed = true;
            connections.closed();
        });
        socket.exceptionHandler(e -> log.debug("Broker {}: connection {} failed: {}", brokerId, connectionId, e.toString()));
        socket.drainHandler(v -> updateReading());
    }

    private void onRecord(Buffer record) {
        if (closed) {
            return;
        }
        if (expectingSize) {
            int size = record.getInt(0);
            if (size <= 0 || size > maxFrameBytes) {
                closeWithWarning("request size " + size + " is outside 1.." + maxFrameBytes
                        + " (socket.request.max.bytes)");
                return;
            }
            expectingSize = false;
            parser.fixedSizeMode(size);
        } else {
            expectingSize = true;
            parser.fixedSizeMode(4);
            onFrame(ByteBuffer.wrap(record.getBytes()));
        }
    }

    private void onFrame(ByteBuffer frame) {
        DecodedRequest decoded;
        try {
            decoded = decoder.decode(frame);
        } catch (InvalidRequestException e) {
            closeWithWarning(e.getMessage());
            return;
        }
        RequestHeader header = decoded.header();
        PendingResponse slot = new PendingResponse(header);
        pending.add(slot);
        if (requests.isEnabled()) {
            slot.startNanos = System.nanoTime();
            slot.measured = true;
            slot.fromFollower = decoded instanceof DecodedRequest.Supported s && s.request() instanceof FetchRequest fetch
                    && FetchHandler.replicaId(fetch.data(), fetch.version()) >= 0;
        }
        if (decoded instanceof DecodedRequest.NewerApiVersions) {
            complete(slot, dispatcher.unsupportedApiVersionsResponse(), (short) 0);
            return;
        }
        DecodedRequest.Supported supported = (DecodedRequest.Supported) decoded;
        RequestContext requestContext = new RequestContext(header, connectionId);
        CompletableFuture<ApiMessage> pendingResponse;
        try {
            pendingResponse = dispatcher.dispatch(requestContext, supported.request());
        } catch (Throwable e) {
            // Not a request error (the dispatcher turns those into responses) but a broken broker, e.g. a
            // class that no longer loads. The slot would never complete, so the client would hang: close.
            log.error("Broker {}: {} from client {} could not be dispatched", brokerId, header.apiKey(), header.clientId(), e);
            closeWithWarning("internal error while dispatching " + header.apiKey());
            return;
        }
        pendingResponse.whenComplete((response, failure) ->
                context.runOnContext(v -> {
                    if (failure != null) {
                        // Either the handler's answer is to close (acks=0 produce failed), or no error
                        // response could be built; in both cases the client must see a disconnect.
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        closeWithWarning(cause instanceof CloseConnection ? cause.getMessage()
                                : "no response could be built for " + header.apiKey() + ": " + cause);
                    } else {
                        complete(slot, response, header.apiVersion());
                    }
                }));
        updateReading();
    }

    private void complete(PendingResponse slot, ApiMessage response, short version) {
        if (response != null) {
            try {
                slot.frame = ResponseEncoder.encode(slot.header.apiKey(), version, slot.header.correlationId(), response);
            } catch (RuntimeException e) {
                log.error("Broker {}: cannot encode {} v{} response for client {}", brokerId, slot.header.apiKey(),
                        version, slot.header.clientId(), e);
                closeWithWarning("response encoding failed");
                return;
            }
        }
        slot.done = true;
        if (slot.measured) {
            requests.answered(slot.header.apiKey(), slot.fromFollower, System.nanoTime() - slot.startNanos);
        }
        writeCompletedInOrder();
    }

    private void writeCompletedInOrder() {
        while (!pending.isEmpty() && pending.peek().done) {
            PendingResponse head = pending.poll();
            if (closed || head.frame == null) {
                continue;
            }
            for (ResponseFrame.Part part : head.frame.parts()) {
                socket.writeMessage(part instanceof ResponseFrame.FileRegion region
                        ? new FileRecordsRegion(region.records())
                        : Unpooled.wrappedBuffer(((ResponseFrame.Bytes) part).buffer()));
            }
        }
        updateReading();
    }

    /** Stops reading while the client has too much outstanding or the socket cannot take more output. */
    private void updateReading() {
        boolean shouldPause = pending.size() >= MAX_PENDING_RESPONSES || socket.writeQueueFull();
        if (shouldPause && !pausedForBackpressure) {
            pausedForBackpressure = true;
            socket.pause();
        } else if (!shouldPause && pausedForBackpressure) {
            pausedForBackpressure = false;
            socket.resume();
        }
    }

    private void closeWithWarning(String reason) {
        if (!closed) {
            log.warn("Broker {}: closing connection {}: {}", brokerId, connectionId, reason);
            closed = true;
            socket.close();
        }
    }

    private static final class PendingResponse {
        final RequestHeader header;
        ResponseFrame frame;
        boolean done;
        /** Set only with metrics on: measured, a follower's fetch (FetchFollower), and when it was decoded. */
        boolean measured;
        boolean fromFollower;
        long startNanos;

        PendingResponse(RequestHeader header) {
            this.header = header;
        }
    }
}
