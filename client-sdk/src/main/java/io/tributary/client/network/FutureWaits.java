package io.tributary.client.network;

import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocking waits on futures for the blocking client APIs, turning failures into the client's exceptions. */
public final class FutureWaits {
    private FutureWaits() {
    }

    /**
     * Waits until {@code deadlineMs} (a {@link MonotonicClock} time).
     *
     * @throws TimeoutException when the deadline passes first, naming {@code what}
     * @throws TributaryException the future's failure
     */
    public static <T> T await(CompletableFuture<T> future, long deadlineMs, String what) {
        long remaining = deadlineMs - MonotonicClock.nowMs();
        try {
            return future.get(Math.max(0, remaining), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(what + " did not complete in time");
        } catch (ExecutionException e) {
            throw asTributary(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("Interrupted while waiting for " + what, e);
        }
    }

    /** Sleeps for a retry backoff, but never past the deadline. */
    public static void backoff(long backoffMs, long deadlineMs) {
        long ms = Math.min(backoffMs, deadlineMs - MonotonicClock.nowMs());
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("Interrupted during retry backoff", e);
        }
    }

    public static TributaryException asTributary(Throwable t) {
        while (t instanceof CompletionException || t instanceof ExecutionException) {
            if (t.getCause() == null) {
                break;
            }
            t = t.getCause();
        }
        return t instanceof TributaryException te ? te : new TributaryException(t.toString(), t);
    }
}
