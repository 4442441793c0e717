package io.tributary.broker.replica;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** Told, on the leader, whenever an ISR change it wrote to ZooKeeper took effect (for the shrink/expand counts). */
@FunctionalInterface
public interface IsrChangeListener {

    IsrChangeListener NONE = (tp, before, after) -> { };

    void isrChanged(TopicPartition topicPartition, List<Integer> before, List<Integer> after);
}
