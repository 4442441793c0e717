package io.tributary.console.watch;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ClusterDescription;
import io.tributary.client.admin.ClusterMetadata;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls Metadata (one request: brokers, controller, every topic with internal ones) every interval on its own thread:
 * Admin calls block, so they never run on an event loop. Each view goes to the consumer, which hands it to the
 * console's event loop. A failed round (no broker answers) is logged once per outage and retried next interval.
 */
public final class ClusterPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterPoller.class);

    private final Admin admin;
    private final Consumer<ClusterView> sink;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-metadata-poller");
        t.setDaemon(true);
        return t;
    });
    private boolean failing;

    public ClusterPoller(Admin admin, Consumer<ClusterView> sink) {
        this.admin = admin;
        this.sink = sink;
    }

    public void start(long intervalMs) {
        // Fixed delay: a slow round (a broker just died) is not followed by a burst of catch-up rounds.
        thread.scheduleWithFixedDelay(this::pollOnce, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        try {
            // One Metadata request: brokers, controller and topics as one broker saw them at one moment. Three
            // requests could be answered by three brokers' caches, one of them lagging, and read as changes.
            ClusterMetadata metadata = admin.describeClusterAndTopics();
            ClusterDescription cluster = metadata.cluster();
            Map<Integer, Node> brokers = new TreeMap<>();
            cluster.brokers().forEach(b -> brokers.put(b.id(), b));
            Map<String, List<PartitionInfo>> topics = new TreeMap<>();
            Set<String> internal = new TreeSet<>();
            Map<String, String> ids = new TreeMap<>();
            metadata.topics().forEach((name, d) -> {
                topics.put(name, d.partitions());
                if (d.topicId() != null) {
                    ids.put(name, d.topicId());
                }
                if (d.internal()) {
                    internal.add(name);
                }
            });
            int controller = cluster.controller() == null ? -1 : cluster.controller().id();
            sink.accept(new ClusterView(System.currentTimeMillis(), cluster.clusterId(), controller, brokers, topics, internal, ids));
            if (failing) {
                log.info("Metadata polls succeed again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // No broker answering: try again next round.
            if (!failing) {
                log.warn("Metadata poll failed (retrying every round): {}", e.toString());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Waits for a round in progress to finish after {@link #close}, so that none delivers a view afterwards. */
    public boolean awaitTermination(long timeoutMs) throws InterruptedException {
        return thread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
