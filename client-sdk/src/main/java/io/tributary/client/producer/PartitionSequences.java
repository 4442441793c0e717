package io.tributary.client.producer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The idempotent producer's sequence numbers per partition (KIP-98), and its batches that hold one and
 * are not resolved yet (in flight, or waiting to be retried). As the accumulator's {@link
 * RecordAccumulator.DrainGate} it decides which batch of a partition may go out:
 * <ul>
 * <li>A batch gets the partition's next sequence when it is first drained; a retry keeps it.
 * <li>A partition sends a new batch only if it and the batches since its oldest unresolved one, resolved
 *     or not, are at most max.in.flight.requests.per.connection (at most 5): the broker remembers a
 *     producer's last five batches, so a retry is recognised only if no more than four were written
 *     after it. Counting just the unresolved ones would let acknowledged batches push it out.
 * <li>Under a new producer id a partition sends one batch and waits for its acknowledgement before it
 *     pipelines more: a broker accepts any sequence from a producer it does not know yet (as Kafka's
 *     does since KIP-360), so a second batch racing a first one that fails would be written before it.
 * <li>A retried batch goes out only once every earlier batch of its partition is resolved, so the broker
 *     sees sequences in order; sent earlier it would only be refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
 * <li>A batch that ends without an acknowledgement (refused, expired, out of retries) may leave a gap: if
 *     the broker never wrote it, every later sequence is out of order. A later acknowledgement proves it
 *     was written. If the partition resolves all its batches and the gap still stands, new batches wait
 *     for a fresh producer id ({@link ProducerIdentity#requestNew}) and start again at sequence 0.
 * <li>A partition switches to a new producer id only when none of its batches under the old one is
 *     unresolved, so batches of the two ids can never overtake each other at the broker.
 * </ul>
 *
 * <p>Thread-safe. Called by the sender under the accumulator's lock and by reader threads with no lock
 * held; it calls only {@link ProducerIdentity}, which calls nothing back, so locks nest one way.
 */
final class PartitionSequences implements RecordAccumulator.DrainGate {
    private static final Logger log = LoggerFactory.getLogger(PartitionSequences.class);

    private static final class Partition {
        ProducerIdAndEpoch identity;
        int nextSequence;
        /**
         * Batches holding a sequence of {@code identity} and not yet resolved: creation order (which is also
         * sequence order) to the number of batches assigned a sequence before them.
         */
        final TreeMap<Long, Long> unresolved = new TreeMap<>();
        long assigned;
        long lastAcknowledged = -1;
        long lastUnacknowledged = -1;

        /** A batch ended unacknowledged and no later batch has been acknowledged since. */
        boolean mayHaveGap() {
            return lastUnacknowledged > lastAcknowledged;
        }
    }

    private final String clientId;
    private final ProducerIdentity identity;
    private final int maxWindow;
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** @param maxWindow max.in.flight.requests.per.connection, at most 5 with idempotence */
    PartitionSequences(String clientId, ProducerIdentity identity, int maxWindow) {
        this.clientId = clientId;
        this.identity = identity;
        this.maxWindow = maxWindow;
    }

    @Override
    public synchronized boolean take(ProducerBatch head) {
        Partition p = partitions.computeIfAbsent(head.topicPartition, tp -> new Partition());
        if (head.hasSequence()) {
            // A retry: only as the oldest unresolved batch of its partition.
            return p.unresolved.isEmpty() || p.unresolved.firstKey() == head.creationOrder
                    || !p.unresolved.containsKey(head.creationOrder);
        }
        ProducerIdAndEpoch current = identity.current();
        if (current == null) {
            return false; // no id yet, or a new one is on its way; its arrival wakes the sender
        }
        if (!p.unresolved.isEmpty()) {
            // Pipelined behind batches of the same id, unless one of them may have left a gap.
            if (!current.equals(p.identity) || p.mayHaveGap() || p.lastAcknowledged < 0
                    || p.assigned - p.unresolved.firstEntry().getValue() >= maxWindow) {
                return false;
            }
        } else if (current.equals(p.identity) && p.mayHaveGap()) {
            identity.requestNew(current, head.topicPartition + " may be missing the records of an unacknowledged batch,"
                    + " so its later sequences would be refused");
            return false;
        } else if (!current.equals(p.identity)) {
            if (p.identity != null) {
                log.info("Producer {}: {} starts again at sequence 0 with {} (was {} at sequence {})", clientId,
                        head.topicPartition, current, p.identity, p.nextSequence);
            }
            p.identity = current;
            p.nextSequence = 0;
            p.assigned = 0;
            p.lastAcknowledged = -1;
            p.lastUnacknowledged = -1;
        }
        head.setProducerState(p.identity, p.nextSequence);
        p.nextSequence = DefaultRecordBatch.incrementSequence(p.nextSequence, head.recordCount());
        p.unresolved.put(head.creationOrder, p.assigned++);
        return true;
    }

    /** The broker has the batch (it wrote it now or recognised a retry). */
    synchronized void acknowledged(ProducerBatch batch) {
        Partition p = resolve(batch);
        if (p != null) {
            p.lastAcknowledged = Math.max(p.lastAcknowledged, batch.creationOrder);
        }
    }

    /** The batch failed for good, so the broker may or may not have it. */
    synchronized void failed(ProducerBatch batch) {
        Partition p = resolve(batch);
        if (p != null) {
            p.lastUnacknowledged = Math.max(p.lastUnacknowledged, batch.creationOrder);
            if (p.mayHaveGap()) {
                log.debug("Producer {}: {} sequence {} ended unacknowledged; later sequences of {} depend on it", clientId,
                        batch.topicPartition, batch.baseSequence(), p.identity);
            }
        }
    }

    /**
     * Whether a batch of the same partition with an earlier sequence is still unresolved. If so, an
     * OUT_OF_ORDER_SEQUENCE_NUMBER for {@code batch} is explained by that batch and is retried after it;
     * if not, nothing the producer still holds can fill the gap.
     */
    synchronized boolean hasEarlierUnresolved(ProducerBatch batch) {
        Partition p = partitions.get(batch.topicPartition);
        return p != null && !p.unresolved.isEmpty() && p.unresolved.firstKey() < batch.creationOrder;
    }

    private Partition resolve(ProducerBatch batch) {
        if (!batch.hasSequence()) {
            return null;
        }
        Partition p = partitions.get(batch.topicPartition);
        if (p == null || p.unresolved.remove(batch.creationOrder) == null) {
            return null;
        }
        return p;
    }
}
