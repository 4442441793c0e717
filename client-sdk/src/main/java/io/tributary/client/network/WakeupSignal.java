package io.tributary.client.network;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a thread sleep until an I/O thread has news for it (a response arrived, metadata refreshed) or a
 * deadline passes. A signal sent before the wait is remembered, so no wake-up is lost between checking
 * for work and going to sleep.
 */
public final class WakeupSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition condition = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            condition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns at once if signalled since the last await, else after a signal or {@code timeoutMs}. */
    public void await(long timeoutMs) {
        lock.lock();
        try {
            if (!pending && timeoutMs > 0) {
                condition.await(timeoutMs, TimeUnit.MILLISECONDS);
            }
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.tributary.client.common.TributaryException("Interrupted while waiting", e);
        } finally {
            lock.unlock();
        }
    }
}
