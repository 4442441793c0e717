package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.topic.TopicConfigValidator;
import io.tributary.coordinator.config.ConfigStore;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies config changes to one entity (a topic, a broker, or the cluster's broker defaults) and writes the result
 * to ZooKeeper in one compare-and-set: either every change of the request's resource is stored or none is. The new
 * set is validated whole before it is written, so no half-valid set is ever visible to the brokers, which apply it
 * from their ZooKeeper caches. Blocks on ZooKeeper: run on a worker.
 */
public final class ConfigAlterer {

    private static final Logger log = LoggerFactory.getLogger(ConfigAlterer.class);

    /** IncrementalAlterConfigs operations, with Kafka's codes (AlterConfigOp.OpType). */
    public enum Op { SET, DELETE, APPEND, SUBTRACT;
        public static Op of(byte code) {
            if (code < 0 || code >= values().length) {
                throw new ApiError(Errors.INVALID_REQUEST, "unknown config operation " + code);
            }
            return values()[code];
        }
    }

    /** One requested change; for the legacy AlterConfigs every key of the new set is a SET of a replacement. */
    public record Change(String name, Op op, String value) {}

    private final int brokerId;
    private final ConfigStore store;
    private final TopicMetadataCache metadata;
    private final TopicConfigCatalog catalog;

    public ConfigAlterer(int brokerId, ConfigStore store, TopicMetadataCache metadata, TopicConfigCatalog catalog) {
        this.brokerId = brokerId;
        this.store = store;
        this.metadata = metadata;
        this.catalog = catalog;
    }

    /**
     * Alters a TOPIC or BROKER resource, as named in an AlterConfigs or IncrementalAlterConfigs request.
     *
     * @throws ApiError as {@link #alterTopic} and {@link #alterBroker}, and INVALID_REQUEST for any other resource type
     */
    public void alter(byte resourceType, String resourceName, List<Change> changes, boolean replace, boolean validateOnly) {
        if (ConfigResources.isTopic(resourceType)) {
            alterTopic(resourceName, changes, replace, validateOnly);
        } else if (ConfigResources.isBroker(resourceType)) {
            alterBroker(ConfigResources.brokerEntity(resourceName), changes, replace, validateOnly);
        } else {
            throw ConfigResources.unsupportedType(resourceType);
        }
    }

    /**
     * @param replace the legacy AlterConfigs: the changes (all SETs) replace every override
     * @throws ApiError UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG (unknown key, bad value), INVALID_REQUEST
     */
    public void alterTopic(String topic, List<Change> changes, boolean replace, boolean validateOnly) {
        if (metadata.topic(topic).isEmpty()) {
            throw new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic " + topic + " does not exist");
        }
        for (Change change : changes) {
            if (catalog.key(change.name()).isEmpty()) {
                throw new ApiError(Errors.INVALID_CONFIG, "unknown topic config " + change.name() + "; supported: "
                        + String.join(", ", catalog.keys().stream().map(TopicConfigCatalog.Key::name).toList()));
            }
        }
        if (validateOnly) {
            Map<String, String> current = store.topicConfig(topic)
                    .orElseThrow(() -> new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic " + topic + " does not exist"));
            TopicConfigValidator.validate(apply(current, changes, replace));
            return;
        }
        Optional<Map<String, String>> written = store.updateTopicConfig(topic, current -> {
            Map<String, String> next = apply(current, changes, replace);
            TopicConfigValidator.validate(next);
            return next;
        });
        if (written.isEmpty()) {
            throw new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic " + topic + " does not exist");
        }
        log.info("Broker {}: topic {} config altered by {}: overrides now {}", brokerId, topic, changes, written.get());
    }

    /**
     * @param entity a broker id or {@code <default>}; only the broker-level synonyms of supported topic configs
     *               (log.retention.ms, message.max.bytes, ...) may change without a restart
     * @throws ApiError INVALID_REQUEST for a setting that is not dynamic, INVALID_CONFIG for a bad value
     */
    public void alterBroker(String entity, List<Change> changes, boolean replace, boolean validateOnly) {
        for (Change change : changes) {
            if (catalog.byBrokerName(change.name()).isEmpty()) {
                throw new ApiError(Errors.INVALID_REQUEST, "cannot update broker config " + change.name()
                        + " dynamically; dynamic broker configs: " + String.join(", ",
                        catalog.keys().stream().map(TopicConfigCatalog.Key::brokerName).sorted().toList()));
            }
        }
        if (validateOnly) {
            validateBroker(apply(store.brokerConfig(entity), changes, replace));
            return;
        }
        Map<String, String> written = store.updateBrokerConfig(entity, current -> {
            Map<String, String> next = apply(current, changes, replace);
            validateBroker(next);
            return next;
        });
        log.info("Broker {}: dynamic config of broker entity {} altered by {}: now {}", brokerId, entity, changes, written);
    }

    /** A broker-level value is valid where the topic config it is the default of would accept it. */
    private void validateBroker(Map<String, String> brokerConfigs) {
        Map<String, String> asTopic = new LinkedHashMap<>();
        brokerConfigs.forEach((name, value) -> asTopic.put(catalog.byBrokerName(name).orElseThrow().name(), value));
        try {
            TopicConfigValidator.validate(asTopic);
        } catch (ApiError e) {
            throw new ApiError(Errors.INVALID_CONFIG, "invalid dynamic broker config: " + e.getMessage());
        }
    }

    private Map<String, String> apply(Map<String, String> current, List<Change> changes, boolean replace) {
        Map<String, String> next = new TreeMap<>(replace ? Map.of() : current);
        for (Change change : changes) {
            String name = change.name();
            switch (change.op()) {
                case SET -> {
                    if (change.value() == null) {
                        throw new ApiError(Errors.INVALID_CONFIG, "config " + name + " needs a value");
                    }
                    next.put(name, change.value());
                }
                case DELETE -> next.remove(name);
                case APPEND, SUBTRACT -> {
                    if (!isList(name)) {
                        throw new ApiError(Errors.INVALID_CONFIG, "config " + name + " is not a list: "
                                + change.op() + " is only allowed for list configs such as cleanup.policy");
                    }
                    List<String> items = new ArrayList<>(listOf(next.getOrDefault(name, effectiveDefault(name))));
                    for (String item : listOf(change.value())) {
                        if (change.op() == Op.APPEND && !items.contains(item)) {
                            items.add(item);
                        } else if (change.op() == Op.SUBTRACT) {
                            items.remove(item);
                        }
                    }
                    next.put(name, String.join(",", items));
                }
            }
        }
        return next;
    }

    private boolean isList(String name) {
        return catalog.key(name).or(() -> catalog.byBrokerName(name))
                .map(k -> k.type() == org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType.LIST).orElse(false);
    }

    private String effectiveDefault(String name) {
        return catalog.key(name).or(() -> catalog.byBrokerName(name)).map(TopicConfigCatalog.Key::kafkaDefault).orElse("");
    }

    private static List<String> listOf(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
