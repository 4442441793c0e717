package io.tributary.client.admin;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfigCollection;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;

/** Builds CreateTopics requests; every field we set exists in all versions we use (2-7). */
final class CreateTopicsRequests {
    private CreateTopicsRequests() {
    }

    static CreateTopicsRequestData build(NewTopic topic, int timeoutMs) {
        CreatableTopicConfigCollection configs = new CreatableTopicConfigCollection();
        topic.configs().forEach((k, v) -> configs.add(new CreatableTopicConfig().setName(k).setValue(v)));
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic()
                .setName(topic.name())
                .setNumPartitions(topic.partitions())
                .setReplicationFactor(topic.replicationFactor())
                .setConfigs(configs));
        return new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(timeoutMs).setValidateOnly(false);
    }
}
