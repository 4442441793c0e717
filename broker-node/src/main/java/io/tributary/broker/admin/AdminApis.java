package io.tributary.broker.admin;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.protocol.RequestDispatcher;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.replica.ReplicaManager;
import io.tributary.broker.topic.MetadataWaiter;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.config.ConfigStore;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.coordinator.topics.PartitionAdder;
import io.tributary.coordinator.topics.TopicStore;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The admin APIs Kafka's tools call (kafka-configs, kafka-topics --alter, kafka-delete-records, kafka-log-dirs),
 * assembled in one place so the broker's start-up only creates this, starts it and registers its handlers. Owns the
 * dynamic broker configs: whenever they change, the new defaults go to the LogManager and every live replica.
 */
public final class AdminApis implements AutoCloseable {

    /** What the admin handlers need from the broker. */
    public record Wiring(BrokerConfig config, String clusterId, CuratorFramework zk, TopicMetadataCache metadata,
                         BrokerRegistry brokers, ControllerElection controller, TopicStore topicStore, LogManager logs,
                         ReplicaManager replicas, TopicLookup topics, PartitionLookup partitions, MetadataWaiter waiter,
                         ExecutorService zkPool, ExecutorService readPool) {}

    private final Wiring wiring;
    private final TopicConfigCatalog catalog = TopicConfigCatalog.load();
    private final DynamicBrokerConfigs dynamic;
    private final LogConfig staticLogDefaults;

    public AdminApis(Wiring wiring) {
        this.wiring = wiring;
        this.dynamic = new DynamicBrokerConfigs(wiring.zk(), wiring.config().brokerId(), catalog);
        this.staticLogDefaults = wiring.logs().defaults();
    }

    /** Loads the dynamic broker configs and applies them; call before the replicas start, so they open with them. */
    public void start() throws InterruptedException {
        dynamic.start(this::applyBrokerDefaults);
    }

    private void applyBrokerDefaults(Map<String, String> topicDefaults) {
        wiring.logs().updateDefaults(staticLogDefaults.withOverrides(topicDefaults));
        String minIsr = topicDefaults.get("min.insync.replicas");
        int minInsyncReplicas = minIsr == null ? wiring.config().get(BrokerConfig.MIN_INSYNC_REPLICAS) : Integer.parseInt(minIsr);
        wiring.replicas().defaultsChanged(minInsyncReplicas, wiring.metadata().topics());
    }

    /** Registers DescribeConfigs, AlterConfigs, IncrementalAlterConfigs, CreatePartitions, DeleteRecords, ... */
    public RequestDispatcher.Builder register(RequestDispatcher.Builder builder) {
        int brokerId = wiring.config().brokerId();
        ConfigStore store = new ConfigStore(wiring.zk());
        ConfigAlterer alterer = new ConfigAlterer(brokerId, store, wiring.metadata(), catalog);
        return builder
                .register(ApiKeys.DESCRIBE_CONFIGS, 1, 4, new DescribeConfigsHandler(brokerId, wiring.metadata(),
                        new ConfigDescriber(wiring.config(), catalog, dynamic)))
                .register(ApiKeys.ALTER_CONFIGS, 0, 2, new AlterConfigsHandler(alterer, wiring.zkPool()))
                .register(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, new IncrementalAlterConfigsHandler(alterer, wiring.zkPool()))
                .register(ApiKeys.CREATE_PARTITIONS, 0, 3, new CreatePartitionsHandler(brokerId, new PartitionAdder(wiring.zk()),
                        wiring.topicStore(), wiring.brokers(), wiring.waiter(), wiring.zkPool()))
                .register(ApiKeys.DELETE_RECORDS, 0, 2, new DeleteRecordsHandler(brokerId, wiring.topics(), wiring.partitions()))
                .register(ApiKeys.DESCRIBE_LOG_DIRS, 1, 4, new DescribeLogDirsHandler(wiring.logs(), wiring.replicas(),
                        wiring.readPool()))
                .register(ApiKeys.DESCRIBE_CLUSTER, 0, 2, new DescribeClusterHandler(wiring.clusterId(), wiring.brokers(),
                        wiring.controller()))
                .register(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0, new ListPartitionReassignmentsHandler());
    }

    @Override
    public void close() {
        dynamic.close();
    }
}
