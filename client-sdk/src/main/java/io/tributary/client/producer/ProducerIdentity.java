package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.BrokerConnection;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The idempotent producer's id and epoch, and getting them: InitProducerId to any broker (KIP-98) before
 * the first batch is sent, and again when a partition's sequences can no longer be trusted and a fresh
 * id is wanted ({@link #requestNew}). Retriable failures (COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, a
 * ZooKeeper hiccup answered with COORDINATOR_LOAD_IN_PROGRESS, a disconnect or timeout, ...) are retried
 * every retry.backoff.ms; the batches waiting meanwhile expire after delivery.timeout.ms as usual. Any
 * other error is fatal, as in Kafka: nothing can be sent idempotently, so batches fail with it.
 *
 * <p>Thread-safe: the sender asks for the id, a connection's reader thread delivers it.
 */
final class ProducerIdentity {
    private static final Logger log = LoggerFactory.getLogger(ProducerIdentity.class);

    private enum State { NEEDED, REQUESTING, READY, FATAL }

    private final String clientId;
    private final long retryBackoffMs;
    private final long requestTimeoutMs;
    private final Runnable onChange;
    private State state = State.NEEDED;
    private ProducerIdAndEpoch current;
    private long nextAttemptMs = MonotonicClock.nowMs();
    private TributaryException lastError;
    private int failedAttempts;

    /** @param onChange runs (on a reader thread) when an attempt ends, to wake the sender */
    ProducerIdentity(String clientId, long retryBackoffMs, long requestTimeoutMs, Runnable onChange) {
        this.clientId = clientId;
        this.retryBackoffMs = retryBackoffMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.onChange = onChange;
    }

    /** The id to stamp on new batches, or null while there is none (not obtained yet, being replaced, or fatal). */
    synchronized ProducerIdAndEpoch current() {
        return state == State.READY ? current : null;
    }

    /** Asks for a fresh id, unless {@code stale} was already replaced (several partitions may ask). */
    synchronized void requestNew(ProducerIdAndEpoch stale, String reason) {
        if (state == State.READY && current.equals(stale)) {
            log.warn("Producer {}: replacing {}: {}", clientId, stale, reason);
            state = State.NEEDED;
            nextAttemptMs = MonotonicClock.nowMs();
        }
    }

    /** The error that made idempotent sending impossible, or null. */
    synchronized TributaryException fatalError() {
        return state == State.FATAL ? lastError : null;
    }

    /** The last failure while getting an id (for the message of batches that expire waiting for one). */
    synchronized TributaryException lastError() {
        return lastError;
    }

    /** When the sender should next call {@link #maybeRequest}; MAX_VALUE when nothing is due. */
    synchronized long nextAttemptMs() {
        return state == State.NEEDED ? nextAttemptMs : Long.MAX_VALUE;
    }

    /** Sends InitProducerId if an id is needed and the retry backoff has passed. */
    void maybeRequest(long nowMs, Supplier<BrokerConnection> anyBroker) {
        synchronized (this) {
            if (state != State.NEEDED || nowMs < nextAttemptMs) {
                return;
            }
            state = State.REQUESTING;
        }
        BrokerConnection connection;
        try {
            connection = anyBroker.get();
        } catch (RuntimeException e) {
            attemptFailed(FutureWaits.asTributary(e), "(no broker)");
            return;
        }
        String broker = connection.label();
        log.debug("Producer {}: asking {} for a producer id", clientId, broker);
        connection.send(OutboundRequest.of(ApiKeys.INIT_PRODUCER_ID, v -> InitProducerIdRequests.build(), requestTimeoutMs))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        attemptFailed(FutureWaits.asTributary(error), broker);
                        return;
                    }
                    InitProducerIdResponseData body = response.body(InitProducerIdResponseData.class);
                    Errors code = Errors.forCode(body.errorCode());
                    if (code == Errors.NONE) {
                        obtained(new ProducerIdAndEpoch(body.producerId(), body.producerEpoch()), broker);
                    } else {
                        attemptFailed(new ApiException(code, "InitProducerId to " + broker + " failed"), broker);
                    }
                });
    }

    /** An id arrived from {@code broker} (package-private so sequence tests can hand one over without a network). */
    void obtained(ProducerIdAndEpoch identity, String broker) {
        synchronized (this) {
            log.info("Producer {}: got {} from {}", clientId, identity, broker);
            current = identity;
            state = State.READY;
            lastError = null;
            failedAttempts = 0;
        }
        onChange.run();
    }

    private void attemptFailed(TributaryException error, String broker) {
        synchronized (this) {
            lastError = error;
            if (error.retriable()) {
                state = State.NEEDED;
                nextAttemptMs = MonotonicClock.nowMs() + retryBackoffMs;
                // The first failure is worth a warning; a cluster that stays away would flood the log.
                if (failedAttempts++ == 0) {
                    log.warn("Producer {}: no producer id from {} yet, retrying every {} ms: {}", clientId, broker,
                            retryBackoffMs, error.getMessage());
                } else {
                    log.debug("Producer {}: no producer id from {} (attempt {}): {}", clientId, broker, failedAttempts,
                            error.getMessage());
                }
            } else {
                state = State.FATAL;
                log.error("Producer {}: cannot get a producer id from {}, so nothing can be sent idempotently"
                        + " (enable.idempotence=false sends without one): {}", clientId, broker, error.getMessage());
            }
        }
        onChange.run();
    }
}
