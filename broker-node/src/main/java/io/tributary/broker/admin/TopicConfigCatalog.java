package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.topic.TopicConfigValidator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The topic configs Kafka's tools may ask about, each with the broker setting that supplies its default (Kafka's
 * synonym: retention.ms falls back to log.retention.ms) and Kafka's own default. Only the keys that
 * {@link TopicConfigValidator} accepts are served, so a config becomes describable and alterable as soon as the
 * broker supports it (the compaction configs, say), and never before.
 */
public final class TopicConfigCatalog {

    /** One topic config: its name, its broker-level synonym, its type and Kafka's default. */
    public record Key(String name, String brokerName, ConfigType type, String kafkaDefault, String doc) {}

    private static final List<Key> ALL = List.of(
            new Key("cleanup.policy", "log.cleanup.policy", ConfigType.LIST, "delete",
                    "delete: old segments are removed by retention; compact: the latest record per key is kept"),
            new Key("delete.retention.ms", "log.cleaner.delete.retention.ms", ConfigType.LONG, "86400000",
                    "How long tombstones stay in a compacted topic"),
            new Key("flush.messages", "log.flush.interval.messages", ConfigType.LONG, "9223372036854775807",
                    "fsync after this many messages"),
            new Key("index.interval.bytes", "log.index.interval.bytes", ConfigType.INT, "4096",
                    "Bytes of log between two offset index entries"),
            new Key("max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms", ConfigType.LONG, "9223372036854775807",
                    "Longest time a record stays uncompacted"),
            new Key("max.message.bytes", "message.max.bytes", ConfigType.INT, "1048588",
                    "Largest record batch accepted"),
            new Key("min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio", ConfigType.DOUBLE, "0.5",
                    "Share of uncompacted log that triggers cleaning"),
            new Key("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms", ConfigType.LONG, "0",
                    "Shortest time a record stays uncompacted"),
            new Key("min.insync.replicas", "min.insync.replicas", ConfigType.INT, "1",
                    "Fewest in-sync replicas an acks=all write needs"),
            new Key("retention.bytes", "log.retention.bytes", ConfigType.LONG, "-1",
                    "Size a partition's log is cut back to; -1 = unlimited"),
            new Key("retention.ms", "log.retention.ms", ConfigType.LONG, "604800000",
                    "Age after which closed segments are deleted; -1 = forever"),
            new Key("segment.bytes", "log.segment.bytes", ConfigType.INT, "1073741824",
                    "Size at which the active segment is rolled"),
            new Key("segment.ms", "log.roll.ms", ConfigType.LONG, "604800000",
                    "Age at which the active segment is rolled"));

    private final List<Key> supported;

    private TopicConfigCatalog(List<Key> supported) {
        this.supported = supported;
    }

    /** The keys this broker's validator accepts, checked once with Kafka's default value. */
    public static TopicConfigCatalog load() {
        return new TopicConfigCatalog(ALL.stream().filter(TopicConfigCatalog::accepted).toList());
    }

    private static boolean accepted(Key key) {
        try {
            TopicConfigValidator.validate(Map.of(key.name(), key.kafkaDefault()));
            return true;
        } catch (ApiError | IllegalArgumentException refused) {
            return false;
        }
    }

    public List<Key> keys() {
        return supported;
    }

    public Optional<Key> key(String name) {
        return supported.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The topic config a broker-level setting is the default of (log.retention.ms -> retention.ms). */
    public Optional<Key> byBrokerName(String brokerName) {
        return supported.stream().filter(k -> k.brokerName().equals(brokerName)).findFirst();
    }
}
