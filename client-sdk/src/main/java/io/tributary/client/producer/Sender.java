package io.tributary.client.producer;

import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The producer's background thread. Each round it routes records that were waiting for metadata,
 * starts a metadata refresh when one is due, asks for a producer id when an idempotent producer needs
 * one, drains ready batches into one Produce request per leader, expires batches past
 * delivery.timeout.ms, and then sleeps until the next linger deadline, backoff or expiry, or until woken
 * by an append, a response, a producer id or fresh metadata. A leader in reconnect backoff gets nothing
 * until the backoff ends; the other leaders' batches go out meanwhile.
 *
 * <p>Responses are handed to {@link ProduceOutcomes} on the connection's reader thread.
 */
final class Sender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final ProducerConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final RecordAccumulator accumulator;
    private final MetadataWaitQueue waiting;
    private final MemoryBudget memory;
    private final MetadataWaitQueue.Router router;
    /** Null when idempotence is off. */
    private final ProducerIdentity identity;
    private final ProduceOutcomes outcomes;
    /** When the first leader skipped for reconnect backoff in this round may be tried (sender thread only). */
    private long reconnectWakeMs;
    private volatile boolean closing;
    private volatile boolean forceClose;

    Sender(ProducerConfig config, ConnectionPool pool, MetadataCache metadata, RecordAccumulator accumulator,
           MetadataWaitQueue waiting, MemoryBudget memory, MetadataWaitQueue.Router router,
           ProducerIdentity identity, PartitionSequences sequences) {
        this.config = config;
        this.identity = identity;
        this.outcomes = new ProduceOutcomes(config, metadata, accumulator, memory, identity, sequences, () -> forceClose);
        this.pool = pool;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.waiting = waiting;
        this.memory = memory;
        this.router = router;
    }

    /** Sends everything still queued, then stops. */
    void initiateClose() {
        closing = true;
        accumulator.beginClose();
    }

    /** Stops now, failing whatever is not yet acknowledged. */
    void forceClose() {
        forceClose = true;
        initiateClose();
    }

    @Override
    public void run() {
        try {
            while (!forceClose) {
                if (closing && !accumulator.hasIncomplete() && waiting.isEmpty()) {
                    break;
                }
                long waitMs = runOnce(MonotonicClock.nowMs());
                accumulator.awaitWork(waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Producer {} sender thread failed; failing all pending records", config.clientId(), e);
        }
        TributaryException closed = new TributaryException("Producer " + config.clientId() + " closed before the record was acknowledged");
        for (WaitingRecord w : waiting.removeAll()) {
            failWaiting(w, closed);
        }
        for (ProducerBatch b : accumulator.abortAll()) {
            outcomes.fail(b, closed);
        }
    }

    /** One round; returns how long the thread may sleep. */
    long runOnce(long nowMs) {
        ClusterSnapshot cluster = metadata.snapshot();
        if (!waiting.isEmpty()) {
            waiting.routeWaiting(router, nowMs, config.deliveryTimeoutMs(), this::failWaiting,
                    w -> new TimeoutException("Topic " + w.topic() + " not present in metadata after delivery.timeout.ms="
                            + config.deliveryTimeoutMs()));
            if (!waiting.isEmpty()) {
                metadata.requestUpdate();
            }
        }
        if (!metadata.topics().isEmpty() && metadata.updateDue(nowMs)) {
            metadata.refresh();
        }
        if (identity != null) {
            maintainIdentity(nowMs);
        }
        reconnectWakeMs = Long.MAX_VALUE;
        RecordAccumulator.Drained drained = accumulator.drain(cluster, nowMs, this::canSend, config.maxRequestSize());
        if (!drained.unknownLeaders().isEmpty()) {
            log.debug("No leader known for {}; refreshing metadata", drained.unknownLeaders());
            metadata.requestUpdate();
        }
        drained.byLeader().forEach(this::sendProduce);
        for (ProducerBatch b : accumulator.expire(nowMs, config.deliveryTimeoutMs())) {
            outcomes.expired(b, nowMs);
        }
        long next = Math.min(drained.nextCheckMs(), reconnectWakeMs);
        if (identity != null) {
            next = Math.min(next, identity.nextAttemptMs());
        }
        next = Math.min(next, accumulator.nextExpiryMs(config.deliveryTimeoutMs()));
        if (!waiting.isEmpty()) {
            next = Math.min(next, waiting.nextExpiryMs(config.deliveryTimeoutMs()));
        }
        if (!metadata.topics().isEmpty()) {
            next = Math.min(next, metadata.nextUpdateDueMs());
        }
        return next == Long.MAX_VALUE ? config.requestTimeoutMs() : Math.max(0, next - nowMs);
    }

    /**
     * Asks for a producer id once there is something to send (and again when a partition needs a fresh
     * one); if none can be had, fails the batches that would need one.
     */
    private void maintainIdentity(long nowMs) {
        if (accumulator.hasIncomplete() || !waiting.isEmpty()) {
            identity.maybeRequest(nowMs, metadata::anyBroker);
        }
        TributaryException fatal = identity.fatalError();
        if (fatal != null) {
            for (ProducerBatch b : accumulator.removeQueued(b -> !b.hasSequence())) {
                outcomes.fail(b, fatal);
            }
        }
    }

    private boolean canSend(Node node) {
        long allowedAt = pool.connectAllowedAtMs(node);
        if (allowedAt > MonotonicClock.nowMs()) {
            reconnectWakeMs = Math.min(reconnectWakeMs, allowedAt);
            return false; // a refused broker waits out its backoff; batches for other leaders still go
        }
        return pool.forNode(node).outstandingRequests() < config.maxInFlightRequestsPerConnection();
    }

    private void sendProduce(Node leader, List<ProducerBatch> batches) {
        short acks = config.acks().wireValue();
        boolean expectResponse = config.acks() != Acks.NONE;
        OutboundRequest request = new OutboundRequest(ApiKeys.PRODUCE,
                v -> ProduceRequests.build(acks, config.requestTimeoutMs(), batches), expectResponse, config.requestTimeoutMs());
        log.debug("Producing {} batch(es) to broker {}", batches.size(), leader.id());
        pool.forNode(leader).send(request).whenComplete((response, error) -> {
            if (error != null) {
                metadata.requestUpdate();
                outcomes.requestFailed(leader, batches, FutureWaits.asTributary(error));
            } else if (!expectResponse) {
                outcomes.sentWithoutResponse(batches);
            } else {
                outcomes.responded(leader, batches, response);
            }
            accumulator.wakeup();
        });
    }

    private void failWaiting(WaitingRecord record, TributaryException error) {
        record.future().completeExceptionally(error);
        memory.release(record.reservedBytes());
    }
}
