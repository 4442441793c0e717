package io.tributary.broker.replica;

import io.tributary.broker.log.AppendResult;
import io.tributary.broker.protocol.ApiError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;

/**
 * acks=all produce answers waiting for the high watermark to pass their batches (Kafka's produce purgatory):
 * futures completed by whoever advances the high watermark, failed by a timer or by a loss of leadership.
 * No thread waits.
 */
final class PendingAcks {

    private record Waiter(CompletableFuture<AppendResult> future, AppendResult result, ScheduledFuture<?> timeout) {}

    private final ScheduledExecutorService timers;
    /** By the high watermark each needs: the offset after its last record. */
    private final TreeMap<Long, List<Waiter>> waiting = new TreeMap<>();
    private boolean closedForLeadership = true;

    PendingAcks(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** Accepts waits from now on (this replica leads). */
    synchronized void open() {
        closedForLeadership = false;
    }

    /**
     * Registers a wait until the high watermark reaches {@code result.lastOffset() + 1}. Fails the future at once
     * if this replica stopped leading meanwhile, and with REQUEST_TIMED_OUT after {@code timeoutMs}.
     */
    CompletableFuture<AppendResult> await(AppendResult result, long timeoutMs, String partitionName) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        long required = result.lastOffset() + 1;
        synchronized (this) {
            if (closedForLeadership) {
                future.completeExceptionally(new ApiError(Errors.NOT_LEADER_OR_FOLLOWER,
                        "no longer the leader of " + partitionName + "; the write may or may not be committed"));
                return future;
            }
            ScheduledFuture<?> timeout = timers.schedule(() -> expire(required, future, timeoutMs, partitionName),
                    Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
            waiting.computeIfAbsent(required, k -> new ArrayList<>()).add(new Waiter(future, result, timeout));
        }
        return future;
    }

    /** Completes every wait the high watermark now covers; {@code error} (not null) fails them instead. */
    void completeUpTo(long highWatermark, ApiError error) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Long, List<Waiter>>> it = waiting.headMap(highWatermark, true).entrySet().iterator();
            while (it.hasNext()) {
                done.addAll(it.next().getValue());
                it.remove();
            }
        }
        for (Waiter waiter : done) {
            waiter.timeout().cancel(false);
            if (error == null) {
                waiter.future().complete(waiter.result());
            } else {
                waiter.future().completeExceptionally(error);
            }
        }
    }

    /** Leadership is gone: every wait fails now, and no new one is accepted until {@link #open()}. */
    void failAll(ApiError error) {
        synchronized (this) {
            closedForLeadership = true;
        }
        completeUpTo(Long.MAX_VALUE, error);
    }


    private void expire(long required, CompletableFuture<AppendResult> future, long timeoutMs, String partitionName) {
        synchronized (this) {
            List<Waiter> list = waiting.get(required);
            if (list == null || !list.removeIf(w -> w.future() == future)) {
                return;
            }
            if (list.isEmpty()) {
                waiting.remove(required);
            }
        }
        future.completeExceptionally(new ApiError(Errors.REQUEST_TIMED_OUT, "the in-sync replicas of " + partitionName
                + " did not all confirm offset " + (required - 1) + " within " + timeoutMs + " ms"));
    }
}
