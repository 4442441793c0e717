package io.tributary.console.metrics;

/**
 * The names of the brokers' /metrics the console reads (the contract with broker-node's metrics, named as the
 * JMX exporter names Kafka's MBeans; Micrometer's Prometheus registry writes counters with {@code _total}).
 */
public final class MetricNames {
    public static final String MESSAGES_IN = "kafka_server_brokertopicmetrics_messagesin_total";
    public static final String BYTES_IN = "kafka_server_brokertopicmetrics_bytesin_total";
    public static final String BYTES_OUT = "kafka_server_brokertopicmetrics_bytesout_total";
    public static final String REPLICATION_BYTES_IN = "kafka_server_brokertopicmetrics_replicationbytesin_total";
    public static final String REPLICATION_BYTES_OUT = "kafka_server_brokertopicmetrics_replicationbytesout_total";
    public static final String LEADER_COUNT = "kafka_server_replicamanager_leadercount";
    public static final String PARTITION_COUNT = "kafka_server_replicamanager_partitioncount";
    public static final String UNDER_REPLICATED = "kafka_server_replicamanager_underreplicatedpartitions";
    public static final String UNDER_MIN_ISR = "kafka_server_replicamanager_underminisrpartitioncount";
    public static final String ACTIVE_CONTROLLER = "kafka_controller_kafkacontroller_activecontrollercount";
    public static final String OFFLINE_PARTITIONS = "kafka_controller_kafkacontroller_offlinepartitionscount";
    public static final String RSS = "process_resident_memory_bytes";
    public static final String GROUP_LAG = "kafka_consumergroup_lag";

    private MetricNames() {
    }
}
