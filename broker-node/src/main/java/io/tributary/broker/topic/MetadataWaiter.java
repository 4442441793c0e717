package io.tributary.broker.topic;

import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Completes futures when the cached metadata reaches a condition (a new topic has leaders, a deleted
 * topic is gone), checked on every cache event rather than by polling.
 */
public final class MetadataWaiter implements TopicMetadataCache.Listener {

    private final TopicMetadataCache cache;
    private final ScheduledExecutorService timers;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private record Waiter(Predicate<TopicMetadataCache> condition, CompletableFuture<Boolean> result) {}

    public MetadataWaiter(TopicMetadataCache cache, ScheduledExecutorService timers) {
        this.cache = cache;
        this.timers = timers;
    }

    /** Completes with true once the condition holds, or false after {@code timeoutMs}. */
    public CompletableFuture<Boolean> await(Predicate<TopicMetadataCache> condition, long timeoutMs) {
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter);
        ScheduledFuture<?> deadline = timers.schedule(() -> {
            waiters.remove(waiter);
            waiter.result().complete(false);
        }, Math.max(timeoutMs, 0), TimeUnit.MILLISECONDS);
        waiter.result().whenComplete((met, failure) -> deadline.cancel(false));
        check();
        return waiter.result();
    }

    public static Predicate<TopicMetadataCache> allLeadersElected(String topic) {
        return cache -> cache.topic(topic)
                .map(t -> !t.partitions().isEmpty() && t.partitions().values().stream()
                        .allMatch(p -> p.state() != null && p.state().leader() >= 0))
                .orElse(false);
    }

    public static Predicate<TopicMetadataCache> topicGone(String topic) {
        return cache -> cache.topic(topic).isEmpty();
    }

    @Override
    public void topicChanged(TopicMetadata topic) {
        check();
    }

    @Override
    public void topicDeleted(String topic) {
        check();
    }

    private void check() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.condition().test(cache)) {
                it.remove();
                waiter.result().complete(true);
            }
        }
    }
}
