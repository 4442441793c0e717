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
import org.apache.kafka.common.errors.InvalidMetadataException;
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
 * starts a metadata refresh when one is due, drains ready batches into one Produce request per leader,
 * expires batches past delivery.timeout.ms, and then sleeps until the next linger deadline, backoff or
 * expiry, or until woken by an append, a response or fresh metadata.
 *
 * <p>Responses are handled on the connection's reader thread: success completes the records' futures;
 * a retriable error (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, a
 * disconnect or request timeout, ...) refreshes metadata and puts the batch back at the head of its
 * partition's queue to be sent after retry.backoff.ms, until retries or delivery.timeout.ms run out;
 * then, or for a non-retriable error, the futures fail with that error.
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
    private volatile boolean closing;
    private volatile boolean forceClose;

    Sender(ProducerConfig config, ConnectionPool pool, MetadataCache metadata, RecordAccumulator accumulator,
           MetadataWaitQueue waiting, MemoryBudget memory, MetadataWaitQueue.Router router) {
        this.config = config;
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
        RecordAccumulator.Drained drained = accumulator.drain(cluster, nowMs, this::canSend, config.maxRequestSize());
        if (!drained.unknownLeaders().isEmpty()) {
            log.debug("No leader known for {}; refreshing metadata", drained.unknownLeaders());
            metadata.requestUpdate();
        }
        drained.byLeader().forEach(this::sendProduce);
        for (ProducerBatch b : accumulator.expire(nowMs, config.deliveryTimeoutMs())) {
            finish(b, expiryError(b, nowMs));
        }
        long next = drained.nextCheckMs();
        next = Math.min(next, accumulator.nextExpiryMs(config.deliveryTimeoutMs()));
        if (!waiting.isEmpty()) {
            next = Math.min(next, waiting.nextExpiryMs(config.deliveryTimeoutMs()));
        }
        if (!metadata.topics().isEmpty()) {
            next = Math.min(next, metadata.nextUpdateDueMs());
        }
        return next == Long.MAX_VALUE ? config.requestTimeoutMs() : Math.max(0, next - nowMs);
    }

    private boolean canSend(Node node) {
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
                batches.forEach(b -> retryOrFail(b, leader, e));
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
                if (error == Errors.NONE) {
                    finish(batch, p.baseOffset(), p.logAppendTimeMs());
                    continue;
                }
                if (error.exception() instanceof InvalidMetadataException) {
                    metadata.requestUpdate(); // the leader moved or the topic changed: look again
                }
                String message = p.errorMessage() != null ? p.errorMessage() : error.message();
                retryOrFail(batch, leader, new ApiException(error, "Produce to " + batch.topicPartition + " on broker "
                        + leader.id() + " failed: " + message));
            }
        }
        for (ProducerBatch missing : byPartition.values()) {
            retryOrFail(missing, leader, new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Broker " + leader.id()
                    + " sent no result for " + missing.topicPartition));
        }
    }

    private void retryOrFail(ProducerBatch batch, Node leader, TributaryException error) {
        long now = MonotonicClock.nowMs();
        long retryAt = now + config.retryBackoffMs();
        boolean withinDeadline = retryAt < batch.createdMs + config.deliveryTimeoutMs();
        if (error.retriable() && batch.attempts() < config.retries() && withinDeadline && !forceClose) {
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
        return last != null ? last : new TimeoutException(message);
    }

    private void finish(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (batch.complete(baseOffset, logAppendTimeMs)) {
            memory.release(batch.reservedBytes());
            accumulator.completed(batch);
        }
    }

    private void finish(ProducerBatch batch, TributaryException error) {
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
