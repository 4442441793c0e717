package io.tributary.client.admin;

import org.apache.kafka.common.message.DeleteTopicsRequestData;

import java.util.Collection;
import java.util.List;

/** Builds DeleteTopics requests: names in {@code topicNames} up to v5, in {@code topics} from v6 (KIP-516). */
final class DeleteTopicsRequests {
    private DeleteTopicsRequests() {
    }

    static DeleteTopicsRequestData build(short version, Collection<String> names, int timeoutMs) {
        DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTimeoutMs(timeoutMs);
        if (version >= 6) {
            data.setTopics(names.stream().map(n -> new DeleteTopicsRequestData.DeleteTopicState().setName(n)).toList());
        } else {
            data.setTopicNames(List.copyOf(names));
        }
        return data;
    }
}
