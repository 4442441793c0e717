package io.tributary.client.network;

import io.tributary.client.common.Node;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One live connection per broker (by node id), plus connections to bootstrap addresses, whose broker
 * ids are not known until metadata arrives. A closed connection is replaced on next use, and so is one
 * whose broker now advertises a different address. Owns the timer that enforces request timeouts.
 *
 * <p>Failed connection attempts start a per-address reconnect backoff ({@link ReconnectBackoff}). The pool
 * reports it ({@link #connectAllowedAtMs}) rather than enforcing it: callers that can send elsewhere or
 * later (the producer's drain, metadata refreshes) skip an address in backoff, so a dead broker is not
 * hammered and does not hold up requests to the others; {@link #forNode} still connects when asked.
 */
public final class ConnectionPool implements AutoCloseable {
    private final String clientId;
    private final int connectTimeoutMs;
    private final int requestTimeoutMs;
    private final ScheduledThreadPoolExecutor timer;
    private final ReconnectBackoff backoff;
    private final Map<Integer, BrokerConnection> byNode = new HashMap<>();
    private final Map<String, BrokerConnection> byBootstrapAddress = new HashMap<>();
    private boolean closed;

    /** Without reconnect backoff (the consumer and admin client retry on their own schedule). */
    public ConnectionPool(String clientId, int connectTimeoutMs, int requestTimeoutMs) {
        this(clientId, connectTimeoutMs, requestTimeoutMs, 0, 0);
    }

    public ConnectionPool(String clientId, int connectTimeoutMs, int requestTimeoutMs, long reconnectBackoffMs,
                          long reconnectBackoffMaxMs) {
        this.backoff = new ReconnectBackoff(reconnectBackoffMs, reconnectBackoffMaxMs);
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tributary-" + clientId + "-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** For request timeouts and retry backoffs; tasks must be short and never block. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public synchronized BrokerConnection forNode(Node node) {
        ensureOpen();
        BrokerConnection existing = byNode.get(node.id());
        InetSocketAddress address = InetSocketAddress.createUnresolved(node.host(), node.port());
        if (existing != null && !existing.isClosed() && existing.address().equals(address)) {
            return existing;
        }
        if (existing != null) {
            existing.close();
        }
        BrokerConnection created = open("broker-" + node.id() + "@" + node.address(), address);
        byNode.put(node.id(), created);
        return created;
    }

    public synchronized BrokerConnection forBootstrap(InetSocketAddress address) {
        ensureOpen();
        String key = key(address.getHostString(), address.getPort());
        BrokerConnection existing = byBootstrapAddress.get(key);
        if (existing != null && !existing.isClosed()) {
            return existing;
        }
        BrokerConnection created = open("bootstrap@" + key, address);
        byBootstrapAddress.put(key, created);
        return created;
    }

    /**
     * When a request to the node can go out: at once ({@code Long.MIN_VALUE}) if a connection is open or
     * being opened, else when the reconnect backoff of its address ends.
     */
    public synchronized long connectAllowedAtMs(Node node) {
        BrokerConnection c = byNode.get(node.id());
        if (c != null && !c.isClosed() && c.address().equals(InetSocketAddress.createUnresolved(node.host(), node.port()))) {
            return Long.MIN_VALUE;
        }
        return backoff.notBeforeMs(key(node.host(), node.port()));
    }

    /** As {@link #connectAllowedAtMs(Node)}, for a bootstrap address. */
    public synchronized long connectAllowedAtMs(InetSocketAddress bootstrapAddress) {
        String key = key(bootstrapAddress.getHostString(), bootstrapAddress.getPort());
        BrokerConnection c = byBootstrapAddress.get(key);
        if (c != null && !c.isClosed()) {
            return Long.MIN_VALUE;
        }
        return backoff.notBeforeMs(key);
    }

    /** Whether a usable connection to the node is open now (used to prefer it for metadata requests). */
    public synchronized boolean isConnected(int nodeId) {
        BrokerConnection c = byNode.get(nodeId);
        return c != null && !c.isClosed() && c.ready().isDone() && !c.ready().isCompletedExceptionally();
    }

    private BrokerConnection open(String label, InetSocketAddress address) {
        BrokerConnection created = new BrokerConnection(label, address, clientId, connectTimeoutMs, requestTimeoutMs, timer);
        String key = key(address.getHostString(), address.getPort());
        // ready() fails exactly when the connection closed before its handshake finished.
        created.ready().whenComplete((versions, error) -> {
            if (error == null) {
                backoff.connected(key);
            } else {
                backoff.failed(key, MonotonicClock.nowMs());
            }
        });
        return created;
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Client " + clientId + " is closed");
        }
    }

    @Override
    public void close() {
        List<BrokerConnection> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(byNode.values());
            all.addAll(byBootstrapAddress.values());
            byNode.clear();
            byBootstrapAddress.clear();
        }
        all.forEach(BrokerConnection::close);
        timer.shutdownNow();
    }
}
