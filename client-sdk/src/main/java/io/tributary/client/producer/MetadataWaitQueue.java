package io.tributary.client.producer;

import io.tributary.client.common.TributaryException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records waiting for their topic's metadata, so send() never blocks on a metadata fetch. Order per
 * topic is kept: while a topic has waiting records, later records for it queue behind them instead of
 * overtaking them into the accumulator, and the sender moves them to the accumulator under the same
 * lock. When nothing waits, send() skips the lock (the sender appends before it decrements the count).
 */
final class MetadataWaitQueue {
    /** What became of a record offered to the accumulator. */
    sealed interface Routing permits Routing.Appended, Routing.Wait, Routing.Failed {
        record Appended() implements Routing {
        }

        record Wait() implements Routing {
        }

        record Failed(TributaryException error) implements Routing {
        }

        Routing APPENDED = new Appended();
        Routing WAIT = new Wait();
    }

    @FunctionalInterface
    interface Router {
        Routing route(WaitingRecord record);
    }

    private final Map<String, ArrayDeque<WaitingRecord>> byTopic = new LinkedHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    boolean isEmpty() {
        return count.get() == 0;
    }

    /** Routes the record now unless it must wait (unknown topic, or earlier records of its topic waiting). */
    synchronized Routing routeOrWait(WaitingRecord record, Router router) {
        ArrayDeque<WaitingRecord> queue = byTopic.get(record.topic());
        if (queue == null || queue.isEmpty()) {
            Routing r = router.route(record);
            if (!(r instanceof Routing.Wait)) {
                return r;
            }
        }
        byTopic.computeIfAbsent(record.topic(), t -> new ArrayDeque<>()).addLast(record);
        count.incrementAndGet();
        return Routing.WAIT;
    }

    /**
     * Routes waiting records, oldest first per topic, stopping at a topic's first record that must still
     * wait; that record and those behind it are failed if they are older than {@code deliveryTimeoutMs}.
     *
     * @param onFailed called for each record that failed (routing error or expiry)
     */
    synchronized void routeWaiting(Router router, long nowMs, long deliveryTimeoutMs,
                                   BiConsumer<WaitingRecord, TributaryException> onFailed,
                                   Function<WaitingRecord, TributaryException> expiryError) {
        for (Iterator<ArrayDeque<WaitingRecord>> topics = byTopic.values().iterator(); topics.hasNext(); ) {
            ArrayDeque<WaitingRecord> queue = topics.next();
            boolean blocked = false;
            for (Iterator<WaitingRecord> it = queue.iterator(); it.hasNext(); ) {
                WaitingRecord w = it.next();
                Routing r = blocked ? Routing.WAIT : router.route(w);
                if (r instanceof Routing.Wait) {
                    blocked = true;
                    if (nowMs - w.createdMs() >= deliveryTimeoutMs) {
                        it.remove();
                        count.decrementAndGet();
                        onFailed.accept(w, expiryError.apply(w));
                    }
                    continue;
                }
                it.remove();
                count.decrementAndGet();
                if (r instanceof Routing.Failed f) {
                    onFailed.accept(w, f.error());
                }
            }
            if (queue.isEmpty()) {
                topics.remove();
            }
        }
    }

    /** When the oldest waiting record expires. */
    synchronized long nextExpiryMs(long deliveryTimeoutMs) {
        long next = Long.MAX_VALUE;
        for (ArrayDeque<WaitingRecord> queue : byTopic.values()) {
            for (WaitingRecord w : queue) {
                next = Math.min(next, w.createdMs() + deliveryTimeoutMs);
            }
        }
        return next;
    }

    synchronized List<WaitingRecord> removeAll() {
        List<WaitingRecord> all = new ArrayList<>();
        byTopic.values().forEach(all::addAll);
        byTopic.clear();
        count.set(0);
        return all;
    }

    synchronized List<CompletableFuture<RecordMetadata>> futures() {
        List<CompletableFuture<RecordMetadata>> all = new ArrayList<>();
        byTopic.values().forEach(q -> q.forEach(w -> all.add(w.future())));
        return all;
    }
}
