package io.tributary.coordinator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named for what they serve, so a thread dump says who is blocked on ZooKeeper. */
public final class NamedThreads {

    private NamedThreads() {
    }

    public static ThreadFactory factory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One thread: events are handled in the order ZooKeeper reported them. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(factory(name));
    }
}
