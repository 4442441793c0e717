package io.tributary.console.watch;

import io.tributary.client.admin.GroupDescription;
import io.tributary.client.common.TopicPartition;

import java.util.Map;

/** A consumer group with its committed offsets, as the slow poll saw it. */
public record GroupView(GroupDescription description, Map<TopicPartition, Long> committed) {
    public GroupView {
        committed = Map.copyOf(committed);
    }
}
