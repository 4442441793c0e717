package io.tributary.broker.topic;

import io.tributary.broker.log.LogConfig;
import io.tributary.broker.protocol.ApiError;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/** Checks per-topic overrides before they reach ZooKeeper, so a bad value is refused at creation, not at log open. */
public final class TopicConfigValidator {

    static final Set<String> KNOWN = Set.of("segment.bytes", "segment.ms", "retention.ms", "retention.bytes",
            "index.interval.bytes", "max.message.bytes", "flush.messages", "min.insync.replicas", "cleanup.policy",
            // Compaction (the log cleaner); values are checked by LogConfig below.
            "delete.retention.ms", "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "max.compaction.lag.ms");

    private TopicConfigValidator() {
    }

    public static void validate(Map<String, String> configs) {
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (!KNOWN.contains(key)) {
                throw new ApiError(Errors.INVALID_CONFIG, "unknown topic config " + key + "; known: " + String.join(", ", KNOWN.stream().sorted().toList()));
            }
            if (value == null) {
                throw new ApiError(Errors.INVALID_CONFIG, "topic config " + key + " needs a value");
            }
            if (key.equals("min.insync.replicas")) {
                try {
                    if (Integer.parseInt(value) < 1) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new ApiError(Errors.INVALID_CONFIG, "min.insync.replicas must be an integer >= 1, not " + value);
                }
            }
        }
        try {
            LogConfig.defaults().withOverrides(configs);
        } catch (IllegalArgumentException e) {
            throw new ApiError(Errors.INVALID_CONFIG, e.getMessage());
        }
    }
}
