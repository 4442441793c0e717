package io.tributary.broker.topic;

import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Resolves the topics named in requests against the metadata cache. Newer Produce and Fetch versions
 * name topics by id (KIP-516), older ones by name; handlers ask here either way.
 */
public final class TopicLookup {

    private final TopicMetadataCache cache;

    public TopicLookup(TopicMetadataCache cache) {
        this.cache = cache;
    }

    public Optional<TopicMetadata> byName(String name) {
        return cache.topic(name);
    }

    public Optional<TopicMetadata> byId(Uuid id) {
        return cache.topicById(id.toString());
    }

    public static Uuid idOf(TopicMetadata topic) {
        return Uuid.fromString(topic.topicId());
    }

    /**
     * The topic a request names, by id when {@code byId} (then UNKNOWN_TOPIC_ID if absent), else by
     * name (UNKNOWN_TOPIC_OR_PARTITION).
     */
    public TopicMetadata resolve(boolean byId, String name, Uuid id) {
        if (byId) {
            return byId(id).orElseThrow(() -> new ApiError(Errors.UNKNOWN_TOPIC_ID, "no topic with id " + id));
        }
        return byName(name).orElseThrow(() -> new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "topic " + name + " does not exist"));
    }
}
