package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The way to a group's coordinator: finds it with FindCoordinator (any broker answers), remembers it, and
 * sends group requests to it over a connection of their own. That connection is separate from the one
 * fetches use (Kafka's client does the same) because a broker answers a connection's requests in order and
 * JoinGroup may be held for a whole rebalance: behind it, fetches would stall. Used by the consumer thread
 * and the heartbeat thread, hence synchronised.
 *
 * <p>Any failure to reach the coordinator, and NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE answers (the
 * callers report those with {@link #markUnknown}), forget it, and the next request finds it again.
 */
final class CoordinatorChannel {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorChannel.class);

    private final String groupId;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final int requestTimeoutMs;
    private final long retryBackoffMs;
    private Node coordinator; // guarded by this
    private CompletableFuture<Node> lookup; // guarded by this

    CoordinatorChannel(String groupId, ConnectionPool pool, MetadataCache metadata, int requestTimeoutMs, long retryBackoffMs) {
        this.groupId = groupId;
        this.pool = pool;
        this.metadata = metadata;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
    }

    synchronized Optional<Node> known() {
        return Optional.ofNullable(coordinator);
    }

    /** The coordinator, found if not known; one FindCoordinator at a time, shared by all callers. */
    synchronized CompletableFuture<Node> ensureKnown() {
        if (coordinator != null) {
            return CompletableFuture.completedFuture(coordinator);
        }
        if (lookup == null) {
            // The coordinator is recorded in a stage of its own, so whatever a caller chains on the returned future
            // (typically send()) runs after it is known; whenComplete callbacks would run in no useful order.
            CompletableFuture<Node> f = find().thenApply(node -> {
                synchronized (this) {
                    if (!node.equals(coordinator)) {
                        log.info("Group {}: coordinator is broker {} at {}", groupId, node.id(), node.address());
                    }
                    coordinator = node;
                }
                return node;
            });
            lookup = f;
            f.whenComplete((node, error) -> {
                synchronized (this) {
                    if (lookup == f) {
                        lookup = null;
                    }
                }
            });
            return f;
        }
        return lookup;
    }

    /** Blocks until the coordinator is known, retrying every retry.backoff.ms; fails only on a fatal error or the deadline. */
    Node awaitKnown(long deadlineMs) {
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadlineMs) {
            try {
                return FutureWaits.await(ensureKnown(), deadlineMs, "FindCoordinator for group " + groupId);
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
                metadata.requestUpdate();
                FutureWaits.backoff(retryBackoffMs, deadlineMs);
            }
        }
        throw new TimeoutException("Could not find the coordinator of group " + groupId + " in time"
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }

    synchronized void markUnknown(String why) {
        if (coordinator != null) {
            log.info("Group {}: forgetting coordinator broker {} ({}); will look it up again", groupId, coordinator.id(), why);
            coordinator = null;
        }
    }

    /** Sends to the known coordinator; fails with COORDINATOR_NOT_AVAILABLE (retriable) if none is known. */
    CompletableFuture<ClientResponse> send(ApiKeys api, Function<Short, ApiMessage> body, long timeoutMs) {
        Node c;
        synchronized (this) {
            c = coordinator;
        }
        if (c == null) {
            return CompletableFuture.failedFuture(new ApiException(Errors.COORDINATOR_NOT_AVAILABLE,
                    "No coordinator known for group " + groupId));
        }
        // A node id of its own gives the coordinator a connection separate from the fetch connection to the same broker.
        Node dedicated = new Node(Integer.MAX_VALUE - c.id(), c.host(), c.port(), c.rack());
        return pool.forNode(dedicated).send(OutboundRequest.of(api, body, timeoutMs)).whenComplete((response, error) -> {
            if (error != null) {
                markUnknown(api + " failed: " + FutureWaits.asTributary(error).getMessage());
            }
        });
    }

    private CompletableFuture<Node> find() {
        return metadata.anyBroker()
                .send(OutboundRequest.of(ApiKeys.FIND_COORDINATOR, v -> GroupRequests.findCoordinator(v, groupId), requestTimeoutMs))
                .thenApply(this::parse);
    }

    private Node parse(ClientResponse response) {
        FindCoordinatorResponseData data = response.body(FindCoordinatorResponseData.class);
        Errors error;
        Node node;
        if (response.version() >= 4) {
            if (data.coordinators().isEmpty()) {
                throw new ApiException(Errors.COORDINATOR_NOT_AVAILABLE, "FindCoordinator for group " + groupId + " returned no coordinator");
            }
            FindCoordinatorResponseData.Coordinator c = data.coordinators().get(0);
            error = Errors.forCode(c.errorCode());
            node = new Node(c.nodeId(), c.host(), c.port(), null);
        } else {
            error = Errors.forCode(data.errorCode());
            node = new Node(data.nodeId(), data.host(), data.port(), null);
        }
        if (error != Errors.NONE) {
            throw new ApiException(error, "FindCoordinator for group " + groupId + " failed");
        }
        return node;
    }
}
