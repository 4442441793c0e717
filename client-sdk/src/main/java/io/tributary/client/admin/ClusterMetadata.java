package io.tributary.client.admin;

import java.util.Map;

/**
 * The brokers, the controller and every topic (internal ones included) from one Metadata response, so that they are
 * one broker's view at one moment rather than three answers possibly from three brokers' caches.
 */
public record ClusterMetadata(ClusterDescription cluster, Map<String, TopicDescription> topics) {
    public ClusterMetadata {
        topics = Map.copyOf(topics);
    }
}
