package io.tributary.client.network;

import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client's view of the cluster, refreshed on demand (after NOT_LEADER_OR_FOLLOWER, a disconnect, a
 * new topic) and when older than metadata.max.age.ms. Only the topics of interest are requested, so a
 * producer does not pull the metadata of the whole cluster. Refreshes are asynchronous and coalesced:
 * callers asking while one is in flight share it.
 *
 * <p>Requests go to a broker we are already connected to when possible, else to the next candidate in
 * rotation over the known brokers and the bootstrap addresses, so one dead broker does not stall the
 * refresh and a client whose known brokers all died can start again from bootstrap.servers. Candidates
 * in reconnect backoff are skipped; when all of them are, a due refresh waits for the first to leave it.
 */
public final class MetadataCache {
    private static final Logger log = LoggerFactory.getLogger(MetadataCache.class);

    private final ConnectionPool pool;
    private final List<InetSocketAddress> bootstrap;
    private final long maxAgeMs;
    private final long retryBackoffMs;
    private final boolean allowAutoTopicCreation;
    private final Set<String> interest = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;
    private volatile boolean updateRequested = true;
    private CompletableFuture<ClusterSnapshot> inFlight; // guarded by this
    private long lastAttemptMs = Long.MIN_VALUE / 2; // guarded by this
    private int rotation; // guarded by this

    public MetadataCache(ConnectionPool pool, List<InetSocketAddress> bootstrap, long maxAgeMs, long retryBackoffMs,
                         boolean allowAutoTopicCreation) {
        this.pool = pool;
        this.bootstrap = List.copyOf(bootstrap);
        this.maxAgeMs = maxAgeMs;
        this.retryBackoffMs = retryBackoffMs;
        this.allowAutoTopicCreation = allowAutoTopicCreation;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    /** Runs after every refresh attempt, on whichever thread completed it; must not block. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Adds topics to those refreshed; a new topic triggers a refresh. */
    public void addTopics(Collection<String> topics) {
        if (interest.addAll(topics)) {
            updateRequested = true;
        }
    }

    /** Replaces the topics of interest (the consumer's assignment changed). */
    public void setTopics(Collection<String> topics) {
        if (!interest.equals(Set.copyOf(topics))) {
            interest.clear();
            interest.addAll(topics);
            updateRequested = true;
        }
    }

    public Set<String> topics() {
        return Set.copyOf(interest);
    }

    public void requestUpdate() {
        updateRequested = true;
    }

    /** Whether a refresh is wanted now: requested or too old, and not within retry.backoff.ms of the last try. */
    public synchronized boolean updateDue(long nowMs) {
        if (inFlight != null) {
            return false;
        }
        boolean wanted = updateRequested || nowMs - snapshot.updatedAtMs() >= maxAgeMs;
        return wanted && nowMs - lastAttemptMs >= retryBackoffMs && nowMs >= firstCandidateAllowedAtMs();
    }

    /** When the next refresh becomes due, for a sender deciding how long it may sleep. */
    public synchronized long nextUpdateDueMs() {
        if (inFlight != null) {
            return Long.MAX_VALUE;
        }
        long byAge = updateRequested ? 0 : snapshot.updatedAtMs() + maxAgeMs;
        return Math.max(Math.max(byAge, lastAttemptMs + retryBackoffMs), firstCandidateAllowedAtMs());
    }

    /** Refreshes the topics of interest (shares a refresh already in flight) and returns the merged view. */
    public synchronized CompletableFuture<ClusterSnapshot> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<ClusterSnapshot> f = fetch(List.copyOf(interest)).thenApply(fresh -> snapshot);
        inFlight = f;
        f.whenComplete((s, e) -> {
            synchronized (this) {
                inFlight = null;
            }
            listeners.forEach(Runnable::run);
        });
        return f;
    }

    /**
     * Asks for the given topics (null: all topics, empty: none) and merges the answer into the cache.
     * Returns the snapshot of this response alone, so an admin call sees exactly what it asked for.
     */
    public CompletableFuture<ClusterSnapshot> fetch(Collection<String> topics) {
        BrokerConnection connection;
        synchronized (this) {
            lastAttemptMs = MonotonicClock.nowMs();
            // Cleared before the request, so a requestUpdate() while it is in flight asks for another one.
            updateRequested = false;
            connection = anyBroker();
        }
        List<String> requested = topics == null ? null : List.copyOf(topics);
        return connection.send(OutboundRequest.of(ApiKeys.METADATA,
                        v -> MetadataRequests.build(v, requested, allowAutoTopicCreation), pool.requestTimeoutMs()))
                .thenApply(response -> {
                    ClusterSnapshot fresh = MetadataRequests.parse(response.body(MetadataResponseData.class), MonotonicClock.nowMs());
                    merge(fresh, requested);
                    return fresh;
                })
                .whenComplete((s, e) -> {
                    if (e != null) {
                        updateRequested = true;
                        log.debug("Metadata request to {} failed: {}", connection.label(), e.toString());
                    }
                });
    }

    /**
     * Blocks until a refresh of the topics of interest succeeds, retrying every retry.backoff.ms.
     *
     * @throws TimeoutException with the last error as cause when the deadline passes
     */
    public ClusterSnapshot awaitRefresh(long deadlineMs) {
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadlineMs) {
            try {
                return FutureWaits.await(refresh(), deadlineMs, "Metadata refresh");
            } catch (TimeoutException e) {
                last = e;
            } catch (TributaryException e) {
                last = e;
                FutureWaits.backoff(retryBackoffMs, deadlineMs);
            }
        }
        throw new TimeoutException("Could not refresh metadata for topics " + interest + " before the deadline"
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }

    private synchronized void merge(ClusterSnapshot fresh, List<String> requested) {
        Map<String, TopicMetadata> topics;
        if (requested == null) {
            topics = new HashMap<>(fresh.topics());
        } else {
            topics = new HashMap<>(snapshot.topics());
            requested.forEach(topics::remove);
            topics.putAll(fresh.topics());
        }
        ClusterSnapshot old = snapshot;
        snapshot = new ClusterSnapshot(fresh.clusterId(), fresh.controllerId(), fresh.brokers(), topics, fresh.updatedAtMs());
        if (!old.brokers().keySet().equals(fresh.brokers().keySet()) || old.controllerId() != fresh.controllerId()) {
            log.debug("Cluster {} now has brokers {} and controller {}", fresh.clusterId(), fresh.brokers().keySet(), fresh.controllerId());
        }
    }

    /**
     * A connection for a request any broker can answer (Metadata, the producer's InitProducerId): one
     * already open if there is one, else the next candidate in rotation that is not in reconnect backoff,
     * else the candidate whose backoff ends first (a caller that asks anyway has its own deadline).
     */
    public synchronized BrokerConnection anyBroker() {
        List<Node> nodes = sortedNodes();
        for (Node n : nodes) {
            if (pool.isConnected(n.id())) {
                return pool.forNode(n);
            }
        }
        int candidates = nodes.size() + bootstrap.size();
        long now = MonotonicClock.nowMs();
        int start = rotation++;
        int earliest = -1;
        long earliestAt = Long.MAX_VALUE;
        for (int k = 0; k < candidates; k++) {
            int i = Math.floorMod(start + k, candidates);
            long allowedAt = allowedAtMs(nodes, i);
            if (allowedAt <= now) {
                rotation = start + k + 1;
                return connect(nodes, i);
            }
            if (allowedAt < earliestAt) {
                earliestAt = allowedAt;
                earliest = i;
            }
        }
        return connect(nodes, earliest);
    }

    /** When the first refresh candidate may be contacted: now unless every one of them is in reconnect backoff. */
    private long firstCandidateAllowedAtMs() {
        List<Node> nodes = sortedNodes();
        long first = Long.MAX_VALUE;
        for (int i = 0; i < nodes.size() + bootstrap.size(); i++) {
            first = Math.min(first, allowedAtMs(nodes, i));
        }
        return first;
    }

    private List<Node> sortedNodes() {
        List<Node> nodes = new ArrayList<>(snapshot.brokers().values());
        nodes.sort(Comparator.comparingInt(Node::id));
        return nodes;
    }

    private long allowedAtMs(List<Node> nodes, int candidate) {
        return candidate < nodes.size() ? pool.connectAllowedAtMs(nodes.get(candidate))
                : pool.connectAllowedAtMs(bootstrap.get(candidate - nodes.size()));
    }

    private BrokerConnection connect(List<Node> nodes, int candidate) {
        return candidate < nodes.size() ? pool.forNode(nodes.get(candidate)) : pool.forBootstrap(bootstrap.get(candidate - nodes.size()));
    }
}
