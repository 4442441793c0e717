package io.tributary.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.broker.group.GroupOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka_consumergroup_current_offset} and {@code kafka_consumergroup_lag} per group and partition, on the
 * group's coordinator (the names of the widely used kafka_exporter). Lag is the partition's high watermark minus
 * the committed offset, the same subtraction {@code consumer-groups --describe} makes with the leader's
 * ListOffsets(latest). Where this broker holds a replica its own high watermark is used: on the leader it is
 * exact, on a follower it trails the leader's by at most one fetch round trip. For a partition without a local
 * replica, {@link LeaderEndOffsets} asks its leader in the background; until its first answer that partition
 * has a committed-offset series but no lag series. Both agree with the tool once the cluster is quiet
 * (see docs/decisions.md).
 */
final class GroupLag {

    private final Supplier<List<GroupOffset>> committed;
    private final Function<TopicPartition, Optional<Long>> highWatermark;
    private final LeaderEndOffsets remote;
    private final MultiGauge current;
    private final MultiGauge lag;

    GroupLag(MeterRegistry registry, Supplier<List<GroupOffset>> committed,
             Function<TopicPartition, Optional<Long>> highWatermark, LeaderEndOffsets remote) {
        this.remote = remote;
        this.committed = committed;
        this.highWatermark = highWatermark;
        this.current = MultiGauge.builder("kafka.consumergroup.current.offset")
                .description("The group's committed offset of the partition").register(registry);
        this.lag = MultiGauge.builder("kafka.consumergroup.lag")
                .description("High watermark minus the group's committed offset (partitions with a local replica)").register(registry);
    }

    void refresh() {
        List<MultiGauge.Row<?>> offsets = new ArrayList<>();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        Set<TopicPartition> notLocal = new HashSet<>();
        for (GroupOffset o : committed.get()) {
            TopicPartition tp = o.topicPartition();
            Tags tags = Tags.of("consumergroup", o.group(), "topic", tp.topic(), "partition", Integer.toString(tp.partition()));
            offsets.add(MultiGauge.Row.of(tags, o.offset()));
            Optional<Long> end = highWatermark.apply(tp);
            if (end.isEmpty()) {
                notLocal.add(tp);
                end = remote.endOffset(tp);
            }
            end.ifPresent(hw -> lags.add(MultiGauge.Row.of(tags, Math.max(0, hw - o.offset()))));
        }
        remote.want(notLocal);
        current.register(offsets, true);
        lag.register(lags, true);
    }
}
