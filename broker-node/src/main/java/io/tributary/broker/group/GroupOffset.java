package io.tributary.broker.group;

import org.apache.kafka.common.TopicPartition;

/** A group's committed offset of one partition, as its coordinator holds it (for the lag metrics). */
public record GroupOffset(String group, TopicPartition topicPartition, long offset) {}
