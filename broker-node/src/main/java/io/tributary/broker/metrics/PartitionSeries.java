package io.tributary.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.ReplicaManager;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka_log_log_size}, {@code kafka_log_log_logendoffset} and {@code kafka_log_log_logstartoffset} of
 * each replica this broker holds, as Kafka's {@code kafka.log:type=Log,topic=..,partition=..}. Read from the
 * ReplicaManager at every scrape into gauges registered once per replica ({@link KeyedGauges}), so a replica that
 * went away (topic deleted, replica removed) has no series from the next scrape on.
 */
final class PartitionSeries {

    private final ReplicaManager replicas;
    private final KeyedGauges<TopicPartition> size;
    private final KeyedGauges<TopicPartition> logEndOffset;
    private final KeyedGauges<TopicPartition> logStartOffset;

    PartitionSeries(MeterRegistry registry, ReplicaManager replicas) {
        this.replicas = replicas;
        this.size = new KeyedGauges<>(registry, "kafka.log.log.size", "Bytes of the replica's log on disk",
                BrokerMetrics::partitionTags);
        this.logEndOffset = new KeyedGauges<>(registry, "kafka.log.log.logendoffset", "The replica's log end offset",
                BrokerMetrics::partitionTags);
        this.logStartOffset = new KeyedGauges<>(registry, "kafka.log.log.logstartoffset", "The replica's log start offset",
                BrokerMetrics::partitionTags);
    }

    void refresh() {
        for (Partition p : replicas.partitions()) {
            TopicPartition tp = p.topicPartition();
            size.set(tp, p.log().sizeInBytes());
            logEndOffset.set(tp, p.logEndOffset());
            logStartOffset.set(tp, p.logStartOffset());
        }
        size.removeUnset();
        logEndOffset.removeUnset();
        logStartOffset.removeUnset();
    }
}
