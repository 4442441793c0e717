package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * buffer.memory: the bytes of records accepted by send() but not yet acknowledged. When it is used up,
 * send() waits (up to max.block.ms) for batches to complete: back-pressure on a producer that outruns
 * the cluster, instead of unbounded memory.
 */
final class MemoryBudget {
    private final long total;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used;

    MemoryBudget(long total) {
        this.total = total;
    }

    void reserve(long bytes, long maxBlockMs, String topic) {
        if (bytes > total) {
            throw new ApiException(Errors.MESSAGE_TOO_LARGE, "A record of about " + bytes + " bytes for topic " + topic
                    + " is larger than buffer.memory=" + total);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        lock.lock();
        try {
            while (used + bytes > total) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TimeoutException("Could not allocate " + bytes + " bytes for a record to topic " + topic
                            + " within max.block.ms=" + maxBlockMs + "; buffer.memory=" + total + " is in use");
                }
                released.awaitNanos(remaining);
            }
            used += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException("Interrupted while waiting for buffer.memory", e);
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }
}
