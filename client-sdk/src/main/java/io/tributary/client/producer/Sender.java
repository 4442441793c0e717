package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's background thread. Each round it routes records that were waiting for metadata,
 * starts a metadata refresh when one is due, asks for a producer id when an idempotent producer needs
 * one, drains ready batches into one Produce request per leader, expires batches past
 * delivery.timeout.ms, and then sleeps until the next linger deadline, backoff or expiry, or until woken
 * by an append, a response, a producer id or fresh metadata. A leader in reconnect backoff gets nothing
 * until the backoff ends; the other leaders' batches go out meanwhile.
 *
 * <p>Responses are handled on the connection's reader thread: success completes the records' futures;
 * a retriable error (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH,
 * LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT, a refused or dropped
 * connection, a request timeout, ...) refreshes metadata and puts the batch back in its partition's
 * queue, in creation order, to be sent after retry.backoff.ms, until retries or delivery.timeout.ms run
 * out; then, or for a non-retriable error, the futures fail with that error.
 *
 * <p>With idempotence, {@link PartitionSequences} orders retries and DUPLICATE_SEQUENCE_NUMBER counts as
 * success. OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID is retried while an earlier batch of the
 * partition is unresolved (its retry may fill the gap); otherwise the batch fails (it was not written)
 * and the partition continues under a new producer id once its other batches are resolved.
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
    /** Null when idempotence is off, as is {@code sequences}. */
    private final ProducerIdentity identity;
    private final PartitionSequences sequences;
    /** When the first leader skipped for reconnect backoff in this round may be tried (sender thread only). */
    private long reconnectWakeMs;
    private volatile boolean closing;
    private volatile boolean forceClose;

    Sender(ProducerConfig config, ConnectionPool pool, MetadataCache metadata, RecordAccumulator accumulator,
           MetadataWaitQueue waiting, MemoryBudget memory, MetadataWaitQueue.Router router,
           ProducerIdentity identity, PartitionSequences sequences) {
        this.config = config;
        this.identity = identity;
        this.sequences = sequences;
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
            finish(b, closed);
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
            finish(b, expiryError(b, nowMs));
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
                finish(b, fatal);
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
                TributaryException e = FutureWaits.asTributary(error);
                metadata.requestUpdate();
                batches.forEach(b -> retryOrFail(b, leader, e, e.retriable()));
            } else if (!expectResponse) {
                batches.forEach(b -> finish(b, -1L, -1L));
            } else {
                handleResponse(leader, batches, response);
            }
            accumulator.wakeup();
        });
    }

    private void handleResponse(Node leader, List<ProducerBatch> batches, ClientResponse response) {
        Map<TopicPartition, ProducerBatch> byPartition = new HashMap<>();
        batches.forEach(b -> byPartition.put(b.topicPartition, b));
        for (ProduceResponseData.TopicProduceResponse topic : response.body(ProduceResponseData.class).responses()) {
            for (ProduceResponseData.PartitionProduceResponse p : topic.partitionResponses()) {
                ProducerBatch batch = byPartition.remove(new TopicPartition(topic.name(), p.index()));
                if (batch == null) {
                    continue;
                }
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.NONE || (sequences != null && ProduceErrors.isDuplicate(error))) {
                    finish(batch, p.baseOffset(), p.logAppendTimeMs());
                    continue;
                }
                if (ProduceErrors.refreshesMetadata(error)) {
                    metadata.requestUpdate(); // the leader moved or the topic changed: look again
                }
                String message = p.errorMessage() != null ? p.errorMessage() : error.message();
                ApiException e = new ApiException(error, "Produce to " + batch.topicPartition + " on broker "
                        + leader.id() + " failed: " + message);
                if (sequences != null && ProduceErrors.isSequenceError(error)) {
                    handleSequenceError(batch, leader, e, message);
                } else {
                    retryOrFail(batch, leader, e, e.retriable());
                }
            }
        }
        for (ProducerBatch missing : byPartition.values()) {
            ApiException e = new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Broker " + leader.id() + " sent no result for "
                    + missing.topicPartition);
            retryOrFail(missing, leader, e, e.retriable());
        }
    }

    /**
     * The broker expected another sequence. While an earlier batch of the partition is unresolved, its
     * retry may fill the gap, so this batch is retried after it. Otherwise nothing the producer holds can
     * fill it (an earlier batch failed or expired, or a leader lost the producer's state): the batch was
     * not written and fails, and the partition moves to a new producer id (see {@link PartitionSequences}).
     */
    private void handleSequenceError(ProducerBatch batch, Node leader, ApiException error, String message) {
        if (sequences.hasEarlierUnresolved(batch)) {
            retryOrFail(batch, leader, error, true);
            return;
        }
        ApiException unresolvable = new ApiException(error.error(), "Broker " + leader.id() + " refused " + batch.recordCount()
                + " record(s) for " + batch.topicPartition + " at sequence " + batch.baseSequence() + " of "
                + batch.producerIdentity() + " (" + message + "): it is missing earlier records of this producer, from a"
                + " batch that failed or expired or from a leader change that lost them. These records were not written;"
                + " the producer continues on this partition with a new producer id.");
        log.warn("Failing {} record(s) for {} after {} from broker {}: {} is not in sequence and no earlier batch can fill"
                + " the gap", batch.recordCount(), batch.topicPartition, error.error(), leader.id(), batch.producerIdentity());
        finish(batch, unresolvable);
    }

    private void retryOrFail(ProducerBatch batch, Node leader, TributaryException error, boolean retriable) {
        long now = MonotonicClock.nowMs();
        long retryAt = now + config.retryBackoffMs();
        boolean withinDeadline = retryAt < batch.createdMs + config.deliveryTimeoutMs();
        if (retriable && batch.attempts() < config.retries() && withinDeadline && !forceClose) {
            // The first retry of a batch is worth a warning; a broker that stays down would flood the log.
            if (batch.attempts() == 0) {
                log.warn("Retrying {} record(s) for {} after error from broker {}: {}", batch.recordCount(),
                        batch.topicPartition, leader.id(), error.getMessage());
            } else {
                log.debug("Retrying {} record(s) for {} (attempt {}) after error from broker {}: {}", batch.recordCount(),
                        batch.topicPartition, batch.attempts() + 1, leader.id(), error.getMessage());
            }
            batch.prepareRetry(retryAt, error);
            accumulator.reenqueue(batch);
            return;
        }
        log.warn("Failing {} record(s) for {} after {} attempt(s): {}", batch.recordCount(), batch.topicPartition,
                batch.attempts() + 1, error.getMessage());
        finish(batch, error);
    }

    private TributaryException expiryError(ProducerBatch batch, long nowMs) {
        TributaryException last = batch.lastError();
        String message = "Expiring " + batch.recordCount() + " record(s) for " + batch.topicPartition + ": "
                + (nowMs - batch.createdMs) + " ms has passed since batch creation (delivery.timeout.ms="
                + config.deliveryTimeoutMs() + ")";
        // The brief's rule: after delivery.timeout.ms the future fails with the last error seen, if any.
        if (last != null) {
            return last;
        }
        if (identity != null && !batch.hasSequence() && identity.current() == null) {
            TributaryException idError = identity.lastError();
            return new TimeoutException(message + " waiting for a producer id"
                    + (idError == null ? "" : "; last error: " + idError.getMessage()), idError);
        }
        return new TimeoutException(message);
    }

    private void finish(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (sequences != null) {
            sequences.acknowledged(batch); // before the sender wakes, so it sees the partition's next batch free to go
        }
        if (batch.complete(baseOffset, logAppendTimeMs)) {
            memory.release(batch.reservedBytes());
            accumulator.completed(batch);
        }
    }

    private void finish(ProducerBatch batch, TributaryException error) {
        if (sequences != null) {
            sequences.failed(batch);
        }
        if (batch.fail(error)) {
            memory.release(batch.reservedBytes());
            accumulator.completed(batch);
        }
    }

    private void failWaiting(WaitingRecord record, TributaryException error) {
        record.future().completeExceptionally(error);
        memory.release(record.reservedBytes());
    }
}
