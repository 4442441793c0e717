package io.tributary.broker.admin;

import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.config.ConfigStore;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.TopicConfig;
import java.io.Closeable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's view of the dynamic broker configs in ZooKeeper ({@code /config/brokers/<id>} and
 * {@code /config/brokers/<default>}), kept current by a CuratorCache. Whenever either changes, the listener gets the
 * topic-level defaults they imply (log.retention.ms=1000 becomes retention.ms=1000; the broker's own entry wins
 * over the cluster default, as in Kafka), so the broker applies them to its logs without a restart.
 */
public final class DynamicBrokerConfigs implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DynamicBrokerConfigs.class);

    private final int brokerId;
    private final TopicConfigCatalog catalog;
    private final CuratorCache cache;
    private final ExecutorService thread;
    private volatile Map<String, String> clusterDefaults = Map.of();
    private volatile Map<String, String> thisBroker = Map.of();
    private boolean applied; // confined to the cache's thread

    public DynamicBrokerConfigs(CuratorFramework zk, int brokerId, TopicConfigCatalog catalog) {
        this.brokerId = brokerId;
        this.catalog = catalog;
        PersistentPaths.ensure(zk, ZkPaths.brokerConfigs());
        this.cache = CuratorCache.build(zk, ZkPaths.brokerConfigs());
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "broker-" + brokerId + "-dynamic-config");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the current overrides (blocking, bounded) and then follows changes, calling {@code onChange} with the
     * topic-level defaults after the load and after every change.
     */
    public void start(Consumer<Map<String, String>> onChange) throws InterruptedException {
        CountDownLatch loaded = new CountDownLatch(1);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldNode, node) -> {
                    if (loaded.getCount() == 0) {
                        reload(onChange);
                    }
                })
                .forInitialized(() -> {
                    reload(onChange);
                    loaded.countDown();
                })
                .build(), thread);
        cache.start();
        if (!loaded.await(30, TimeUnit.SECONDS)) {
            log.warn("Broker {}: dynamic broker configs at {} did not load within 30 s; static configs apply until they do",
                    brokerId, ZkPaths.brokerConfigs());
        }
    }

    /** The dynamic overrides of {@code entity} (a broker id or {@code <default>}) as last seen. */
    public Map<String, String> overrides(String entity) {
        if (entity.equals(ConfigStore.DEFAULT_BROKER_ENTITY)) {
            return clusterDefaults;
        }
        return entity.equals(Integer.toString(brokerId)) ? thisBroker : read(entity);
    }

    public Map<String, String> clusterDefaults() {
        return clusterDefaults;
    }

    public Map<String, String> thisBroker() {
        return thisBroker;
    }

    /** Topic config name -> value that the dynamic broker configs set (the broker's own over the cluster's). */
    public Map<String, String> topicDefaults() {
        Map<String, String> merged = new LinkedHashMap<>();
        clusterDefaults.forEach((k, v) -> catalog.byBrokerName(k).ifPresent(key -> merged.put(key.name(), v)));
        thisBroker.forEach((k, v) -> catalog.byBrokerName(k).ifPresent(key -> merged.put(key.name(), v)));
        return merged;
    }

    private void reload(Consumer<Map<String, String>> onChange) {
        Map<String, String> defaults = read(ConfigStore.DEFAULT_BROKER_ENTITY);
        Map<String, String> own = read(Integer.toString(brokerId));
        // Another broker's znode changed: nothing for this one to apply (the first load always applies).
        if (applied && defaults.equals(clusterDefaults) && own.equals(thisBroker)) {
            return;
        }
        applied = true;
        clusterDefaults = defaults;
        thisBroker = own;
        if (!defaults.isEmpty() || !own.isEmpty()) {
            log.info("Broker {}: dynamic broker configs: cluster defaults {}, this broker {}", brokerId, defaults, own);
        }
        try {
            onChange.accept(topicDefaults());
        } catch (RuntimeException e) {
            log.error("Broker {}: applying the dynamic broker configs {} / {} failed", brokerId, defaults, own, e);
        }
    }

    private Map<String, String> read(String entity) {
        Optional<ChildData> node = cache.get(ZkPaths.brokerConfig(entity));
        if (node.isEmpty() || node.get().getData() == null || node.get().getData().length == 0) {
            return Map.of();
        }
        try {
            return ZkJson.fromBytes(node.get().getData(), TopicConfig.class).config();
        } catch (ZkDataException e) {
            log.warn("Broker {}: ignoring unreadable dynamic config of {}: {}", brokerId, entity, e.getMessage());
            return Map.of();
        }
    }

    @Override
    public void close() {
        cache.close();
        thread.shutdown();
    }
}
