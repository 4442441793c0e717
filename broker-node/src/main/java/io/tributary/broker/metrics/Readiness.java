package io.tributary.broker.metrics;

import io.tributary.broker.log.LoadProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether the broker may take traffic ({@code /health/ready}): its ZooKeeper session is connected, its logs
 * are loaded, its Kafka listener is bound, it is registered under /brokers/ids, and it is not shutting down.
 * Start-up flips the flags as each step completes; {@code close()} flips {@link #shuttingDown()} first, so a
 * load balancer stops sending before anything is taken down. Each check that fails names why, e.g.
 * {@code loading logs: 12 of 40 partitions}.
 */
public final class Readiness {

    /** One evaluation: every check's state, and the reasons for the ones that fail (empty when ready). */
    public record Status(boolean ready, Map<String, String> checks, List<String> reasons) {}

    private volatile boolean zookeeperConnected;
    private volatile Supplier<LoadProgress> logs = () -> LoadProgress.NOT_STARTED;
    private volatile int listenerPort = -1;
    private volatile boolean registered;
    private volatile boolean shuttingDown;

    public void zookeeperConnected(boolean connected) {
        this.zookeeperConnected = connected;
    }

    public void logsFrom(Supplier<LoadProgress> progress) {
        this.logs = progress;
    }

    public void listenerBound(int port) {
        this.listenerPort = port;
    }

    public void registered() {
        this.registered = true;
    }

    public void shuttingDown() {
        this.shuttingDown = true;
    }

    public Status status() {
        Map<String, String> checks = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        check(checks, reasons, "zookeeper", zookeeperConnected, "zookeeper: not connected");
        LoadProgress progress = logs.get();
        String loading = progress.total() < 0 ? "loading logs: not started"
                : "loading logs: " + progress.loaded() + " of " + progress.total() + " partitions";
        check(checks, reasons, "logs", progress.done(), loading);
        check(checks, reasons, "listener", listenerPort >= 0, "kafka listener: not bound");
        check(checks, reasons, "registration", registered, "zookeeper registration: not registered yet");
        check(checks, reasons, "shutdown", !shuttingDown, "shutting down");
        return new Status(reasons.isEmpty(), checks, reasons);
    }

    private static void check(Map<String, String> checks, List<String> reasons, String name, boolean ok, String downReason) {
        checks.put(name, ok ? "UP" : "DOWN");
        if (!ok) {
            reasons.add(downReason);
        }
    }
}
