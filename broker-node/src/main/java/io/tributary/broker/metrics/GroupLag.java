package io.tributary.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tributary.broker.group.GroupOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka_consumergroup_current_offset} and {@code kafka_consumergroup_lag} per group and partition, on the
 * group's coordinator (the names of the widely used kafka_exporter). Lag is the partition's high watermark minus
 * the committed offset, the same subtraction {@code consumer-groups --describe} makes with the leader's
 * ListOffsets(latest). Where this broker leads the partition its own high watermark is used; for any other
 * partition (a follower's high watermark may trail the leader's) {@link LeaderEndOffsets} asks its leader in the
 * background; until its first answer that partition has a committed-offset series but no lag series. Offsets
 * committed for a topic that no longer exists have no series. Both agree with the tool once the cluster is quiet
 * (see docs/decisions.md).
 */
final class GroupLag {

    private final Supplier<List<GroupOffset>> committed;
    private final Predicate<String> topicExists;
    private final Function<TopicPartition, Optional<Long>> leaderHighWatermark;
    private final LeaderEndOffsets remote;
    private final KeyedGauges<GroupPartition> current;
    private final KeyedGauges<GroupPartition> lag;

    GroupLag(MeterRegistry registry, Supplier<List<GroupOffset>> committed, Predicate<String> topicExists,
             Function<TopicPartition, Optional<Long>> leaderHighWatermark, LeaderEndOffsets remote) {
        this.remote = remote;
        this.committed = committed;
        this.topicExists = topicExists;
        this.leaderHighWatermark = leaderHighWatermark;
        this.current = new KeyedGauges<>(registry, "kafka.consumergroup.current.offset",
                "The group's committed offset of the partition", GroupPartition::tags);
        this.lag = new KeyedGauges<>(registry, "kafka.consumergroup.lag",
                "The partition leader's high watermark minus the group's committed offset", GroupPartition::tags);
    }

    void refresh() {
        Set<TopicPartition> notLedHere = new HashSet<>();
        for (GroupOffset o : committed.get()) {
            TopicPartition tp = o.topicPartition();
            // The coordinator keeps the offsets of a deleted topic; its series end with the topic.
            if (!topicExists.test(tp.topic())) {
                continue;
            }
            GroupPartition key = new GroupPartition(o.group(), tp);
            current.set(key, o.offset());
            Optional<Long> end = leaderHighWatermark.apply(tp);
            if (end.isEmpty()) {
                notLedHere.add(tp);
                end = remote.endOffset(tp);
            }
            end.ifPresent(hw -> lag.set(key, Math.max(0, hw - o.offset())));
        }
        remote.want(notLedHere);
        current.removeUnset();
        lag.removeUnset();
    }

    private record GroupPartition(String group, TopicPartition tp) {
        Tags tags() {
            return Tags.of("consumergroup", group, "topic", tp.topic(), "partition", Integer.toString(tp.partition()));
        }
    }
}
