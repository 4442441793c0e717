package io.tributary.broker.fetch;

import io.tributary.broker.replica.Partition;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.message.FetchResponseData;

/**
 * A fetch that may wait for data: answered as soon as it has {@code minBytes}, an error, or its wait
 * has run out. Appends and high-watermark moves on its partitions wake it, but it reads the log again only
 * when the offsets in memory show data it can see; nothing sleeps. Registration happens before the
 * second read so an append in between is never missed.
 */
final class DelayedFetch {

    private final FetchReader reader;
    private final int minBytes;
    private final int maxWaitMs;
    private final Executor readPool;
    private final ScheduledExecutorService timers;
    private final CompletableFuture<FetchResponseData> result = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final Runnable wakeUp = this::onDataChanged;
    private volatile ScheduledFuture<?> timeout;

    DelayedFetch(FetchReader reader, int minBytes, int maxWaitMs, Executor readPool, ScheduledExecutorService timers) {
        this.reader = reader;
        this.minBytes = minBytes;
        this.maxWaitMs = maxWaitMs;
        this.readPool = readPool;
        this.timers = timers;
    }

    CompletableFuture<FetchResponseData> start() {
        readPool.execute(() -> {
            try {
                FetchReader.Result first = reader.read();
                if (satisfied(first) || maxWaitMs <= 0) {
                    complete(first);
                    return;
                }
                partitions().forEach(p -> p.addDataListener(wakeUp));
                timeout = timers.schedule(() -> readPool.execute(this::completeWithCurrentData), maxWaitMs, TimeUnit.MILLISECONDS);
                if (done.get()) {
                    timeout.cancel(false);
                }
                tryComplete();
            } catch (RuntimeException e) {
                fail(e);
            }
        });
        return result;
    }

    private boolean satisfied(FetchReader.Result read) {
        return read.hasError() || read.bytes() >= Math.max(minBytes, 1);
    }

    private void onDataChanged() {
        // Re-read only when the offsets in memory say there is something new; coalesce bursts into one read.
        if (!done.get() && reader.mayHaveNewData() && readScheduled.compareAndSet(false, true)) {
            readPool.execute(() -> {
                readScheduled.set(false);
                tryComplete();
            });
        }
    }

    private void tryComplete() {
        if (done.get()) {
            return;
        }
        try {
            FetchReader.Result read = reader.read();
            if (satisfied(read)) {
                complete(read);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void completeWithCurrentData() {
        if (done.get()) {
            return;
        }
        try {
            complete(reader.read());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void complete(FetchReader.Result read) {
        if (done.compareAndSet(false, true)) {
            cleanUp();
            try {
                reader.recordSent(read);
            } finally {
                // Counting is a side matter: a failure there must not leave the fetch unanswered.
                result.complete(read.response());
            }
        }
    }

    private void fail(RuntimeException e) {
        if (done.compareAndSet(false, true)) {
            cleanUp();
            result.completeExceptionally(e);
        }
    }

    private void cleanUp() {
        partitions().forEach(p -> p.removeDataListener(wakeUp));
        ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private List<Partition> partitions() {
        return reader.targets().stream().map(FetchTarget::partition).filter(Objects::nonNull).distinct().toList();
    }
}
