package io.tributary.client.admin;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Topic and cluster administration. Thread-safe. (API shell: implementation follows.) */
public final class Admin implements AutoCloseable {
    public Admin(Properties config) {
        AdminConfig.from(config);
    }

    public void createTopic(NewTopic topic) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Set<String> listTopics() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Map<String, TopicDescription> describeTopics(Collection<String> topics) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public void deleteTopics(Collection<String> topics) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public ClusterDescription describeCluster() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
