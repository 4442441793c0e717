package io.tributary.coordinator.config;

import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.Versioned;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.TopicConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and rewrites config overrides in ZooKeeper, as Kafka keeps them: a topic's at {@code /config/topics/<t>}
 * (the znode created with the topic), a broker's at {@code /config/brokers/<id>} and the cluster-wide broker
 * defaults at {@code /config/brokers/<default>}. Every rewrite is a compare-and-set on the znode version, so two
 * admins altering the same entity at once never lose each other's keys. Blocks: call from a worker.
 */
public final class ConfigStore {

    /** The entity name of the cluster-wide broker defaults, as in Kafka. */
    public static final String DEFAULT_BROKER_ENTITY = "<default>";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);
    private static final int CAS_ATTEMPTS = 10;

    private final CuratorFramework zk;

    public ConfigStore(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk");
    }

    /** A topic's overrides, or empty if the topic has no config znode (it does not exist). */
    public Optional<Map<String, String>> topicConfig(String topic) {
        return read(ZkPaths.topicConfig(topic)).map(v -> v.value().config());
    }

    /** A broker's (or {@link #DEFAULT_BROKER_ENTITY}'s) dynamic overrides; empty map if none were ever set. */
    public Map<String, String> brokerConfig(String entity) {
        return read(ZkPaths.brokerConfig(entity)).map(v -> v.value().config()).orElse(Map.of());
    }

    /**
     * Replaces a topic's overrides with {@code change.apply(current)}, atomically against other writers.
     *
     * @return the overrides written, or empty if the topic's config znode does not exist
     * @throws RuntimeException whatever {@code change} throws (nothing is written then)
     */
    public Optional<Map<String, String>> updateTopicConfig(String topic, UnaryOperator<Map<String, String>> change) {
        String path = ZkPaths.topicConfig(topic);
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<Versioned<TopicConfig>> current = read(path);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> next = change.apply(current.get().value().config());
            if (cas(path, next, current.get().zkVersion())) {
                LOG.info("topic {}: config overrides now {}", topic, next);
                return Optional.of(next);
            }
        }
        throw new ZkOperationException("the config of topic '" + topic + "' kept changing under " + CAS_ATTEMPTS + " attempts", null);
    }

    /** Replaces a broker entity's dynamic overrides with {@code change.apply(current)}, creating its znode if needed. */
    public Map<String, String> updateBrokerConfig(String entity, UnaryOperator<Map<String, String>> change) {
        String path = ZkPaths.brokerConfig(entity);
        PersistentPaths.ensure(zk, ZkPaths.brokerConfigs());
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<Versioned<TopicConfig>> current = read(path);
            Map<String, String> next = change.apply(current.map(v -> v.value().config()).orElse(Map.of()));
            boolean written = current.isPresent() ? cas(path, next, current.get().zkVersion()) : create(path, next);
            if (written) {
                LOG.info("broker config {}: dynamic overrides now {}", entity, next);
                return next;
            }
        }
        throw new ZkOperationException("the dynamic config of broker '" + entity + "' kept changing under " + CAS_ATTEMPTS
                + " attempts", null);
    }

    private boolean cas(String path, Map<String, String> config, int version) {
        try {
            zk.setData().withVersion(version).forPath(path, ZkJson.toBytes(new TopicConfig(config)));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            return false;
        } catch (Exception e) {
            throw new ZkOperationException("cannot write " + path, e);
        }
    }

    private boolean create(String path, Map<String, String> config) {
        try {
            zk.create().forPath(path, ZkJson.toBytes(new TopicConfig(config)));
            return true;
        } catch (KeeperException.NodeExistsException lost) {
            return false;
        } catch (Exception e) {
            throw new ZkOperationException("cannot create " + path, e);
        }
    }

    private Optional<Versioned<TopicConfig>> read(String path) {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(ZkJson.fromBytes(data, TopicConfig.class), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("cannot read " + path, e);
        }
    }
}
