package io.tributary.client.producer;

import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClusterSnapshot;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Per-partition queues of batches between send() and the sender thread. A partition's head batch is
 * ready when it is full, when another batch is queued behind it, when it has waited linger.ms, or when
 * a flush or close is in progress; a retried batch waits out its backoff first. The accumulator also
 * holds the sender's wake-up signal, so an append that makes a batch ready wakes it at once.
 */
final class RecordAccumulator {
    /** Ready batches grouped by leader, the partitions that have none, and when to look again. */
    record Drained(Map<Node, List<ProducerBatch>> byLeader, Set<TopicPartition> unknownLeaders, long nextCheckMs) {
    }

    /**
     * The last word on a ready head batch, asked under the accumulator's lock just before it is taken:
     * the idempotent producer's sequence bookkeeping ({@link PartitionSequences}). Returning true commits
     * to sending the batch. When it says no, whatever changes its mind (a response, a producer id) must
     * wake the sender.
     */
    interface DrainGate {
        DrainGate OPEN = head -> true;

        boolean take(ProducerBatch head);
    }

    private final int batchSize;
    private final Compression compression;
    private final long lingerMs;
    private final DrainGate gate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<TopicPartition, ArrayDeque<ProducerBatch>> queues = new HashMap<>();
    private final Set<ProducerBatch> incomplete = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean wakeupPending;
    private int flushesInProgress;
    private boolean closing;
    private int drainRotation;

    RecordAccumulator(int batchSize, Compression compression, long lingerMs) {
        this(batchSize, compression, lingerMs, DrainGate.OPEN);
    }

    RecordAccumulator(int batchSize, Compression compression, long lingerMs, DrainGate gate) {
        this.batchSize = batchSize;
        this.compression = compression;
        this.lingerMs = lingerMs;
        this.gate = gate;
    }

    /**
     * Appends a record to the partition's last open batch, or to a new batch.
     *
     * @param reservedBytes the record's size estimate, reserved from buffer.memory; it also sizes a new
     *                      batch's buffer when larger than batch.size
     */
    void append(TopicPartition tp, long timestamp, byte[] key, byte[] value, Header[] headers,
                CompletableFuture<RecordMetadata> future, long reservedBytes, long nowMs) {
        lock.lock();
        try {
            ArrayDeque<ProducerBatch> queue = queues.computeIfAbsent(tp, k -> new ArrayDeque<>());
            ProducerBatch last = queue.peekLast();
            if (last != null && last.tryAppend(timestamp, key, value, headers, future, reservedBytes)) {
                if (last.isFull()) {
                    signal();
                }
                return;
            }
            int capacity = (int) Math.max(batchSize, reservedBytes);
            ProducerBatch batch = new ProducerBatch(tp, compression, capacity, batchSize, nowMs);
            if (!batch.tryAppend(timestamp, key, value, headers, future, reservedBytes)) {
                throw new IllegalStateException("An empty batch for " + tp + " refused a record");
            }
            queue.addLast(batch);
            incomplete.add(batch);
            // A new batch starts a linger timer the sender must know about; a second batch makes the first ready.
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the ready head batch of each partition whose leader is known and accepts a request
     * ({@code canSend}), grouped by leader, at most {@code maxRequestSize} bytes per leader (but always
     * one batch). The start partition rotates so a large backlog cannot starve later partitions.
     */
    Drained drain(ClusterSnapshot cluster, long nowMs, Predicate<Node> canSend, int maxRequestSize) {
        lock.lock();
        try {
            long nextCheck = Long.MAX_VALUE;
            Map<Node, List<ProducerBatch>> byLeader = new LinkedHashMap<>();
            Map<Integer, Integer> bytesByNode = new HashMap<>();
            Set<TopicPartition> unknownLeaders = new java.util.HashSet<>();
            List<TopicPartition> partitions = new ArrayList<>(queues.keySet());
            partitions.sort(null);
            if (!partitions.isEmpty()) {
                Collections.rotate(partitions, -(drainRotation++ % partitions.size()));
            }
            Map<Integer, Boolean> nodeAccepts = new HashMap<>();
            for (TopicPartition tp : partitions) {
                ArrayDeque<ProducerBatch> queue = queues.get(tp);
                ProducerBatch head = queue.peekFirst();
                if (head == null) {
                    continue;
                }
                if (head.retryAfterMs() > nowMs) {
                    nextCheck = Math.min(nextCheck, head.retryAfterMs());
                    continue;
                }
                boolean ready = queue.size() > 1 || head.isFull() || flushesInProgress > 0 || closing
                        || nowMs - head.createdMs >= lingerMs;
                if (!ready) {
                    nextCheck = Math.min(nextCheck, head.createdMs + lingerMs);
                    continue;
                }
                Optional<Node> leader = cluster.leaderFor(tp);
                if (leader.isEmpty()) {
                    unknownLeaders.add(tp);
                    continue;
                }
                Node node = leader.get();
                if (!nodeAccepts.computeIfAbsent(node.id(), id -> canSend.test(node))) {
                    continue; // the response that frees a slot wakes the sender
                }
                int used = bytesByNode.getOrDefault(node.id(), 0);
                int size = head.sizeInBytes();
                if (used > 0 && used + size > maxRequestSize) {
                    nextCheck = nowMs; // goes in the node's next request
                    continue;
                }
                if (!gate.take(head)) {
                    continue;
                }
                queue.pollFirst();
                head.records();
                byLeader.computeIfAbsent(node, n -> new ArrayList<>()).add(head);
                bytesByNode.put(node.id(), used + size);
                if (!queue.isEmpty()) {
                    // One batch per partition per request; the next may go in the next request right away
                    // instead of waiting for this one's response.
                    nextCheck = nowMs;
                }
            }
            return new Drained(byLeader, unknownLeaders, nextCheck);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a batch that will be retried back into its queue, before every batch created after it. Several
     * batches of a partition can fail together (a broker went away with requests in flight); putting each
     * at the head would reverse them, so they go back in creation order.
     */
    void reenqueue(ProducerBatch batch) {
        lock.lock();
        try {
            ArrayDeque<ProducerBatch> queue = queues.computeIfAbsent(batch.topicPartition, k -> new ArrayDeque<>());
            List<ProducerBatch> later = new ArrayList<>();
            while (!queue.isEmpty() && queue.peekFirst().creationOrder < batch.creationOrder) {
                later.add(queue.pollFirst());
            }
            queue.addFirst(batch);
            for (int i = later.size() - 1; i >= 0; i--) {
                queue.addFirst(later.get(i));
            }
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a completed or failed batch. */
    void completed(ProducerBatch batch) {
        lock.lock();
        try {
            incomplete.remove(batch);
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the queued (not in-flight) batches older than {@code deliveryTimeoutMs}. */
    List<ProducerBatch> expire(long nowMs, long deliveryTimeoutMs) {
        return removeQueued(b -> nowMs - b.createdMs >= deliveryTimeoutMs);
    }

    /** Removes and returns the queued (not in-flight) batches that match. */
    List<ProducerBatch> removeQueued(Predicate<ProducerBatch> matches) {
        lock.lock();
        try {
            List<ProducerBatch> removed = new ArrayList<>();
            for (ArrayDeque<ProducerBatch> queue : queues.values()) {
                queue.removeIf(b -> {
                    if (matches.test(b)) {
                        removed.add(b);
                        return true;
                    }
                    return false;
                });
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** When the oldest queued batch expires, so the sender wakes for it. */
    long nextExpiryMs(long deliveryTimeoutMs) {
        lock.lock();
        try {
            long next = Long.MAX_VALUE;
            for (ArrayDeque<ProducerBatch> queue : queues.values()) {
                for (ProducerBatch b : queue) {
                    next = Math.min(next, b.createdMs + deliveryTimeoutMs);
                }
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every queued and in-flight batch (forced close). */
    List<ProducerBatch> abortAll() {
        lock.lock();
        try {
            List<ProducerBatch> all = new ArrayList<>(incomplete);
            queues.values().forEach(ArrayDeque::clear);
            return all;
        } finally {
            lock.unlock();
        }
    }

    List<CompletableFuture<Void>> incompleteBatches() {
        lock.lock();
        try {
            return incomplete.stream().map(ProducerBatch::done).toList();
        } finally {
            lock.unlock();
        }
    }

    boolean hasIncomplete() {
        lock.lock();
        try {
            return !incomplete.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    void beginFlush() {
        lock.lock();
        try {
            flushesInProgress++;
            signal();
        } finally {
            lock.unlock();
        }
    }

    void endFlush() {
        lock.lock();
        try {
            flushesInProgress--;
        } finally {
            lock.unlock();
        }
    }

    void beginClose() {
        lock.lock();
        try {
            closing = true;
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the sender (new work, a response, fresh metadata). */
    void wakeup() {
        lock.lock();
        try {
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** The sender's wait: returns at once if woken since the last wait, else after at most {@code timeoutMs}. */
    void awaitWork(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            if (!wakeupPending && timeoutMs > 0) {
                wake.await(timeoutMs, TimeUnit.MILLISECONDS);
            }
            wakeupPending = false;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        wakeupPending = true;
        wake.signalAll();
    }
}
