package io.tributary.coordinator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared executor: one
 * ordered lane per partition without a thread per partition.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor threads;
    private final Queue<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private volatile Thread current;

    public SerialExecutor(Executor threads) {
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (queue) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        threads.execute(this::drain);
    }

    /** Whether the calling thread is running one of this executor's tasks (to avoid waiting on itself). */
    public boolean inCurrentThread() {
        return current == Thread.currentThread();
    }

    private void drain() {
        current = Thread.currentThread();
        try {
            while (true) {
                Runnable task;
                synchronized (queue) {
                    task = queue.poll();
                    if (task == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // One failing task must not stall the lane for every task behind it.
                    LOG.error("task failed on a serial executor lane", e);
                }
            }
        } finally {
            current = null;
        }
    }
}
