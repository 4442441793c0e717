package io.tributary.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.ReplicaManager;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kafka_log_log_size}, {@code kafka_log_log_logendoffset} and {@code kafka_log_log_logstartoffset} of
 * each replica this broker holds, as Kafka's {@code kafka.log:type=Log,topic=..,partition=..}. Rebuilt from the
 * ReplicaManager at every scrape ({@link MultiGauge} with overwrite), so a replica that went away (topic deleted,
 * replica removed) has no series from the next scrape on.
 */
final class PartitionSeries {

    private final ReplicaManager replicas;
    private final MultiGauge size;
    private final MultiGauge logEndOffset;
    private final MultiGauge logStartOffset;

    PartitionSeries(MeterRegistry registry, ReplicaManager replicas) {
        this.replicas = replicas;
        this.size = MultiGauge.builder("kafka.log.log.size").description("Bytes of the replica's log on disk").register(registry);
        this.logEndOffset = MultiGauge.builder("kafka.log.log.logendoffset").description("The replica's log end offset")
                .register(registry);
        this.logStartOffset = MultiGauge.builder("kafka.log.log.logstartoffset").description("The replica's log start offset")
                .register(registry);
    }

    void refresh() {
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        List<MultiGauge.Row<?>> ends = new ArrayList<>();
        List<MultiGauge.Row<?>> starts = new ArrayList<>();
        for (Partition p : replicas.partitions()) {
            var tags = BrokerMetrics.partitionTags(p.topicPartition());
            sizes.add(MultiGauge.Row.of(tags, p, r -> r.log().sizeInBytes()));
            ends.add(MultiGauge.Row.of(tags, p, Partition::logEndOffset));
            starts.add(MultiGauge.Row.of(tags, p, Partition::logStartOffset));
        }
        size.register(sizes, true);
        logEndOffset.register(ends, true);
        logStartOffset.register(starts, true);
    }
}
