package io.tributary.coordinator.metadata;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import io.tributary.zk.model.TopicAssignment;
import io.tributary.zk.model.TopicConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.listen.StandardListenerManager;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every broker's view of all topics, kept current by two {@link CuratorCache}s (over
 * {@code /brokers/topics} and {@code /config/topics}), so Metadata, Produce and Fetch are answered
 * without a ZooKeeper round trip.
 *
 * <p>Coherence: CuratorCache reports a topic znode before its partition states. A topic is
 * published only once every partition state that exists in ZooKeeper is in the cache (a state
 * confirmed absent is published as null), and it is re-published whenever a state or its config
 * changes. Topics created by {@code TopicStore} have their states from the start (one transaction).
 *
 * <p>Threads: all cache events are handled, and listeners called, on this cache's own thread
 * ("topic-metadata-cache") unless a listener was added with its own executor. Listeners added
 * before {@link #start()} see each existing topic as {@link Listener#topicChanged}.
 */
public final class TopicMetadataCache implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicMetadataCache.class);

    public enum State { LATENT, STARTED, CLOSED }

    public interface Listener {
        /** A topic was created, or its partitions' states or its config changed. */
        void topicChanged(TopicMetadata topic);

        void topicDeleted(String name);
    }

    private final CuratorFramework zk;
    private final CuratorCache topicsCache;
    private final CuratorCache configsCache;
    private final ExecutorService thread = NamedThreads.single("topic-metadata-cache");
    private final StandardListenerManager<Listener> listeners = StandardListenerManager.standard();
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile Map<String, TopicMetadata> byName = Map.of();
    private volatile Map<String, TopicMetadata> byId = Map.of();
    private int cachesLoaded; // confined to the cache thread

    public TopicMetadataCache(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.topicsCache = CuratorCache.build(zk, ZkPaths.topics());
        this.configsCache = CuratorCache.build(zk, ZkPaths.topicConfigs());
    }

    /** Loads every topic. Blocks until the snapshot holds all topics present now. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("topic metadata cache cannot start in state " + state.get());
        }
        PersistentPaths.ensure(zk, ZkPaths.topics());
        PersistentPaths.ensure(zk, ZkPaths.topicConfigs());
        CountDownLatch ready = new CountDownLatch(1);
        Runnable loaded = () -> {
            if (++cachesLoaded == 2) {
                refreshAll();
                ready.countDown();
            }
        };
        configsCache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldNode, node) -> changed(ZkPaths.topicConfigs(), node != null ? node : oldNode))
                .forInitialized(loaded)
                .build(), thread);
        topicsCache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldNode, node) -> changed(ZkPaths.topics(), node != null ? node : oldNode))
                .forInitialized(loaded)
                .build(), thread);
        configsCache.start();
        topicsCache.start();
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new ZkOperationException("topic metadata at " + ZkPaths.topics() + " did not load", null);
            }
        } catch (InterruptedException e) {
            throw new ZkOperationException("interrupted while loading topic metadata", e);
        }
    }

    /** All topics by name: an immutable snapshot. */
    public Map<String, TopicMetadata> topics() {
        return byName;
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @param topicId Kafka's Uuid text form, as in the topic znode */
    public Optional<TopicMetadata> topicById(String topicId) {
        return Optional.ofNullable(byId.get(topicId));
    }

    public State state() {
        return state.get();
    }

    /** Adds a listener called on the cache's thread. */
    public void addListener(Listener listener) {
        addListener(listener, Runnable::run);
    }

    /** Adds a listener called on the given executor (e.g. a Vert.x context's runOnContext). */
    public void addListener(Listener listener, Executor executor) {
        listeners.addListener(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
    }

    public void removeListener(Listener listener) {
        listeners.removeListener(listener);
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        topicsCache.close();
        configsCache.close();
        thread.shutdown();
    }

    private void changed(String root, ChildData node) {
        if (cachesLoaded < 2 || state.get() == State.CLOSED) {
            return; // the initial load ends with refreshAll()
        }
        String path = node.getPath();
        if (path.length() <= root.length() + 1 || !path.startsWith(root + "/")) {
            return;
        }
        String rest = path.substring(root.length() + 1);
        int slash = rest.indexOf('/');
        refresh(slash < 0 ? rest : rest.substring(0, slash));
    }

    private void refreshAll() {
        Set<String> names = new HashSet<>(byName.keySet());
        String prefix = ZkPaths.topics() + "/";
        topicsCache.stream()
                .map(ChildData::getPath)
                .filter(path -> path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0)
                .forEach(path -> names.add(path.substring(prefix.length())));
        names.stream().sorted().forEach(this::refresh);
    }

    private void refresh(String name) {
        try {
            Optional<TopicMetadata> built = build(name);
            if (built.isEmpty()) {
                return;
            }
            TopicMetadata topic = built.get();
            TopicMetadata previous = byName.get(name);
            if (topic.equals(previous)) {
                return;
            }
            publish(name, previous, topic);
        } catch (RuntimeException e) {
            LOG.error("topic {}: cannot refresh its metadata", name, e);
        }
    }

    /** Empty when the topic is gone (published as deleted here) or not yet complete. */
    private Optional<TopicMetadata> build(String name) {
        Optional<ChildData> topicNode = topicsCache.get(ZkPaths.topic(name));
        if (topicNode.isEmpty()) {
            if (byName.containsKey(name)) {
                publish(name, byName.get(name), null);
            }
            return Optional.empty();
        }
        TopicAssignment assignment;
        try {
            assignment = ZkJson.fromBytes(topicNode.get().getData(), TopicAssignment.class);
        } catch (ZkDataException e) {
            LOG.warn("topic {}: ignoring unreadable topic znode: {}", name, e.getMessage());
            return Optional.empty();
        }
        Map<Integer, PartitionMetadata> partitions = new TreeMap<>();
        List<String> missingStates = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> entry : assignment.partitions().entrySet()) {
            int p = entry.getKey();
            String statePath = ZkPaths.partitionState(name, p);
            Optional<ChildData> stateNode = topicsCache.get(statePath);
            PartitionState partitionState = null;
            int version = -1;
            if (stateNode.isPresent()) {
                try {
                    partitionState = ZkJson.fromBytes(stateNode.get().getData(), PartitionState.class);
                    version = stateNode.get().getStat().getVersion();
                } catch (ZkDataException e) {
                    LOG.warn("topic {} partition {}: unreadable state znode: {}", name, p, e.getMessage());
                }
            } else {
                missingStates.add(statePath);
            }
            partitions.put(p, new PartitionMetadata(p, entry.getValue(), partitionState, version));
        }
        if (!missingStates.isEmpty() && !confirmedAbsent(name, missingStates)) {
            return Optional.empty(); // the cache will report the states (or the topic's deletion) soon
        }
        Map<String, String> configs = configsCache.get(ZkPaths.topicConfig(name))
                .map(node -> {
                    try {
                        return ZkJson.fromBytes(node.getData(), TopicConfig.class).config();
                    } catch (ZkDataException e) {
                        LOG.warn("topic {}: ignoring unreadable config znode: {}", name, e.getMessage());
                        return Map.<String, String>of();
                    }
                })
                .orElse(Map.of());
        return Optional.of(new TopicMetadata(name, assignment.topicId(), partitions, configs));
    }

    /**
     * Asks ZooKeeper (blocking, on the cache thread) whether the states the cache lacks exist. If
     * the topic itself is gone or a state exists, the cache is behind: wait for its events.
     */
    private boolean confirmedAbsent(String name, List<String> missingStates) {
        try {
            if (zk.checkExists().forPath(ZkPaths.topic(name)) == null) {
                return false;
            }
            for (String path : missingStates) {
                if (zk.checkExists().forPath(path) != null) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            LOG.warn("topic {}: cannot check its partition states in ZooKeeper; publishing it without them", name, e);
            return true;
        }
    }

    private void publish(String name, TopicMetadata previous, TopicMetadata topic) {
        Map<String, TopicMetadata> names = new HashMap<>(byName);
        Map<String, TopicMetadata> ids = new HashMap<>(byId);
        if (previous != null) {
            ids.remove(previous.topicId());
        }
        if (topic == null) {
            names.remove(name);
        } else {
            names.put(name, topic);
            ids.put(topic.topicId(), topic);
        }
        byName = Collections.unmodifiableMap(names);
        byId = Collections.unmodifiableMap(ids);
        if (topic == null) {
            LOG.info("topic {} deleted", name);
            listeners.forEach(listener -> listener.topicDeleted(name));
        } else {
            LOG.debug("topic {} changed: {}", name, topic);
            listeners.forEach(listener -> listener.topicChanged(topic));
        }
    }
}
