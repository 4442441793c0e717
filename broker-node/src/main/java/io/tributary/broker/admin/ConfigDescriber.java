package io.tributary.broker.admin;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.Setting;
import io.tributary.coordinator.config.ConfigStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * Builds DescribeConfigs entries: a config's value, where it comes from and, strongest first, every place that
 * sets it (the synonyms). A topic config falls back on this broker's dynamic setting, the cluster's dynamic default,
 * server.properties, then Kafka's default, exactly the order in which the broker applies them. Nothing is
 * sensitive (no passwords are configured); only the dynamic broker settings are not read-only.
 */
public final class ConfigDescriber {

    private final BrokerConfig config;
    private final TopicConfigCatalog catalog;
    private final DynamicBrokerConfigs dynamic;
    private final String brokerEntity;

    public ConfigDescriber(BrokerConfig config, TopicConfigCatalog catalog, DynamicBrokerConfigs dynamic) {
        this.config = config;
        this.catalog = catalog;
        this.dynamic = dynamic;
        this.brokerEntity = Integer.toString(config.brokerId());
    }

    private record Source(String name, String value, ConfigSource source) {}

    /** The entries of a topic with these overrides; {@code keys} null = all. */
    public List<DescribeConfigsResourceResult> topic(Map<String, String> overrides, Collection<String> keys,
                                                     boolean synonyms, boolean documentation) {
        List<DescribeConfigsResourceResult> out = new ArrayList<>();
        for (TopicConfigCatalog.Key key : catalog.keys()) {
            if (keys != null && !keys.contains(key.name())) {
                continue;
            }
            List<Source> chain = new ArrayList<>();
            String override = overrides.get(key.name());
            if (override != null) {
                chain.add(new Source(key.name(), override, ConfigSource.TOPIC_CONFIG));
            }
            chain.addAll(brokerChain(key.brokerName(), true));
            out.add(entry(key.name(), chain, false, key.type(), key.doc(), synonyms, documentation));
        }
        // An override the catalog does not know (stored by a newer broker, say) is still shown as it is.
        overrides.forEach((name, value) -> {
            if (catalog.key(name).isEmpty() && (keys == null || keys.contains(name))) {
                out.add(entry(name, List.of(new Source(name, value, ConfigSource.TOPIC_CONFIG)), false, ConfigType.STRING,
                        null, synonyms, documentation));
            }
        });
        return out;
    }

    /**
     * The entries of a broker entity: this broker's id (every setting, static and dynamic), or {@code <default>}
     * (only the cluster-wide dynamic overrides, as Kafka answers for the default entity).
     */
    public List<DescribeConfigsResourceResult> broker(String entity, Collection<String> keys, boolean synonyms,
                                                      boolean documentation) {
        List<DescribeConfigsResourceResult> out = new ArrayList<>();
        if (entity.equals(ConfigStore.DEFAULT_BROKER_ENTITY)) {
            dynamic.clusterDefaults().forEach((name, value) -> {
                if (keys == null || keys.contains(name)) {
                    out.add(entry(name, List.of(new Source(name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)),
                            false, typeOf(name), null, synonyms, documentation));
                }
            });
            return out;
        }
        for (Setting<?> setting : BrokerConfig.settings()) {
            if (keys != null && !keys.contains(setting.name())) {
                continue;
            }
            boolean dynamicSetting = catalog.byBrokerName(setting.name()).isPresent();
            out.add(entry(setting.name(), brokerChain(setting.name(), dynamicSetting), !dynamicSetting, typeOf(setting.name()),
                    setting.doc(), synonyms, documentation));
        }
        // Dynamic settings the broker supports without a server.properties key (log.cleanup.policy, ...).
        for (TopicConfigCatalog.Key key : catalog.keys()) {
            if (staticSetting(key.brokerName()).isEmpty() && (keys == null || keys.contains(key.brokerName()))) {
                out.add(entry(key.brokerName(), brokerChain(key.brokerName(), true), false, key.type(), key.doc(),
                        synonyms, documentation));
            }
        }
        return out;
    }

    /** Where a broker-level setting's value comes from, strongest first; the last is always its default. */
    private List<Source> brokerChain(String name, boolean dynamicSetting) {
        List<Source> chain = new ArrayList<>();
        if (dynamicSetting) {
            String own = dynamic.thisBroker().get(name);
            if (own != null) {
                chain.add(new Source(name, own, ConfigSource.DYNAMIC_BROKER_CONFIG));
            }
            String clusterDefault = dynamic.clusterDefaults().get(name);
            if (clusterDefault != null) {
                chain.add(new Source(name, clusterDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
            }
        }
        Optional<Setting<?>> setting = staticSetting(name);
        if (setting.isPresent()) {
            String value = render(config.get(setting.get()));
            String defaultValue = setting.get().defaultValue();
            String parsedDefault = defaultValue == null ? null : render(setting.get().parser().apply(defaultValue));
            if (!value.equals(parsedDefault)) {
                chain.add(new Source(name, value, ConfigSource.STATIC_BROKER_CONFIG));
            }
            if (parsedDefault != null) {
                chain.add(new Source(name, parsedDefault, ConfigSource.DEFAULT_CONFIG));
            }
        } else {
            catalog.byBrokerName(name).ifPresent(key -> chain.add(new Source(name, key.kafkaDefault(), ConfigSource.DEFAULT_CONFIG)));
        }
        return chain;
    }

    private static Optional<Setting<?>> staticSetting(String name) {
        return BrokerConfig.settings().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private ConfigType typeOf(String brokerName) {
        Optional<TopicConfigCatalog.Key> key = catalog.byBrokerName(brokerName);
        if (key.isPresent()) {
            return key.get().type();
        }
        Optional<Setting<?>> setting = staticSetting(brokerName);
        if (setting.isEmpty() || setting.get().defaultValue() == null) {
            return ConfigType.STRING;
        }
        Object parsed = setting.get().parser().apply(setting.get().defaultValue());
        if (parsed instanceof Integer) {
            return ConfigType.INT;
        }
        if (parsed instanceof Long) {
            return ConfigType.LONG;
        }
        if (parsed instanceof Boolean) {
            return ConfigType.BOOLEAN;
        }
        return parsed instanceof List<?> ? ConfigType.LIST : ConfigType.STRING;
    }

    private static String render(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(v -> v instanceof Path p ? p.toString() : String.valueOf(v)).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static DescribeConfigsResourceResult entry(String name, List<Source> chain, boolean readOnly, ConfigType type,
                                                       String doc, boolean synonyms, boolean documentation) {
        Source effective = chain.isEmpty() ? new Source(name, null, ConfigSource.DEFAULT_CONFIG) : chain.get(0);
        DescribeConfigsResourceResult result = new DescribeConfigsResourceResult().setName(name).setValue(effective.value())
                .setReadOnly(readOnly).setConfigSource(effective.source().id()).setIsSensitive(false)
                .setConfigType(type.id()).setDocumentation(documentation ? doc : null);
        if (synonyms) {
            chain.forEach(s -> result.synonyms().add(new DescribeConfigsSynonym().setName(s.name()).setValue(s.value())
                    .setSource(s.source().id())));
        }
        return result;
    }
}
