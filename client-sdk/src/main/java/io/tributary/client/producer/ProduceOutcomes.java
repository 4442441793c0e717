package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What becomes of a batch once it has been sent, on the connection's reader thread (or the sender's, for
 * expiry and close): success completes the records' futures; a retriable error (NOT_LEADER_OR_FOLLOWER,
 * FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS(_AFTER_APPEND),
 * REQUEST_TIMED_OUT, a refused or dropped connection, a request timeout, ...) refreshes metadata where the
 * leader may have moved and puts the batch back in its partition's queue, in creation order, to be sent
 * after retry.backoff.ms, until retries or delivery.timeout.ms run out; then, or for a non-retriable
 * error, the futures fail with that error.
 *
 * <p>With idempotence, {@link PartitionSequences} learns every outcome and orders retries, and
 * DUPLICATE_SEQUENCE_NUMBER counts as success. OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID is
 * retried while an earlier batch of the partition is unresolved (its retry may fill the gap); otherwise
 * the batch fails (the broker refused it) and the partition continues under a new producer id once its
 * other batches are resolved. This is the pre-KIP-360 behaviour of Kafka's producer: KIP-360 instead
 * re-sequences such batches under a bumped epoch, which rewrites batches that may be retried.
 */
final class ProduceOutcomes {
    private static final Logger log = LoggerFactory.getLogger(ProduceOutcomes.class);

    private final ProducerConfig config;
    private final MetadataCache metadata;
    private final RecordAccumulator accumulator;
    private final MemoryBudget memory;
    /** Null when idempotence is off, as is {@code sequences}. */
    private final ProducerIdentity identity;
    private final PartitionSequences sequences;
    private final BooleanSupplier forceClosed;

    ProduceOutcomes(ProducerConfig config, MetadataCache metadata, RecordAccumulator accumulator, MemoryBudget memory,
                    ProducerIdentity identity, PartitionSequences sequences, BooleanSupplier forceClosed) {
        this.config = config;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.memory = memory;
        this.identity = identity;
        this.sequences = sequences;
        this.forceClosed = forceClosed;
    }

    /** Per partition of the response: done, retried, or failed. */
    void responded(Node leader, List<ProducerBatch> batches, ClientResponse response) {
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
                    complete(batch, p.baseOffset(), p.logAppendTimeMs());
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
     * fill it (an earlier batch failed or expired, or a leader lost the producer's state): the broker
     * refused the batch, which fails, and the partition moves to a new producer id (see {@link PartitionSequences}).
     */
    private void handleSequenceError(ProducerBatch batch, Node leader, ApiException error, String message) {
        if (sequences.hasEarlierUnresolved(batch)) {
            retryOrFail(batch, leader, error, true);
            return;
        }
        ApiException unresolvable = new ApiException(error.error(), "Broker " + leader.id() + " refused " + batch.recordCount()
                + " record(s) for " + batch.topicPartition + " at sequence " + batch.baseSequence() + " of "
                + batch.producerIdentity() + " (" + message + "): it is missing earlier records of this producer, from a"
                + " batch that failed or expired or from a leader change that lost them. The broker refused these records;"
                + " the producer continues on this partition with a new producer id.");
        log.warn("Failing {} record(s) for {} after {} from broker {}: {} is not in sequence and no earlier batch can fill"
                + " the gap", batch.recordCount(), batch.topicPartition, error.error(), leader.id(), batch.producerIdentity());
        fail(batch, unresolvable);
    }

    private void retryOrFail(ProducerBatch batch, Node leader, TributaryException error, boolean retriable) {
        long now = MonotonicClock.nowMs();
        long retryAt = now + config.retryBackoffMs();
        boolean withinDeadline = retryAt < batch.createdMs + config.deliveryTimeoutMs();
        if (retriable && batch.attempts() < config.retries() && withinDeadline && !forceClosed.getAsBoolean()) {
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
        fail(batch, error);
    }

    /** The batch waited in its queue past delivery.timeout.ms. */
    void expired(ProducerBatch batch, long nowMs) {
        fail(batch, expiryError(batch, nowMs));
    }

    /** A request that gets no response (acks=0) is done once written: offsets unknown. */
    void sentWithoutResponse(List<ProducerBatch> batches) {
        batches.forEach(b -> complete(b, -1L, -1L));
    }

    /** The request failed as a whole (connection refused or dropped, timeout, ...): each batch is retried or failed. */
    void requestFailed(Node leader, List<ProducerBatch> batches, TributaryException error) {
        batches.forEach(b -> retryOrFail(b, leader, error, error.retriable()));
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

    private void complete(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (sequences != null) {
            sequences.acknowledged(batch); // before the sender wakes, so it sees the partition's next batch free to go
        }
        if (batch.complete(baseOffset, logAppendTimeMs)) {
            memory.release(batch.reservedBytes());
            accumulator.completed(batch);
        }
    }

    /** Fails the batch's records with {@code error}, unless the batch is already done. */
    void fail(ProducerBatch batch, TributaryException error) {
        if (sequences != null) {
            sequences.failed(batch);
        }
        if (batch.fail(error)) {
            memory.release(batch.reservedBytes());
            accumulator.completed(batch);
        }
    }
}
