package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.broker.group.GroupOffset;
import io.tributary.broker.replica.IsrChangeListener;
import io.tributary.broker.replica.Leadership;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.ReplicaManager;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's meters in one Micrometer {@link PrometheusMeterRegistry}, named as Kafka users know them from the
 * Prometheus JMX exporter ({@code kafka.server:type=ReplicaManager,name=LeaderCount} becomes
 * {@code kafka_server_replicamanager_leadercount}). Counters on the hot path are {@link TopicTraffic},
 * {@link RequestMetrics} and {@link ConnectionMetrics}; everything else is a gauge reading the broker's existing
 * state at scrape time. Per-partition and per-group series follow that state at every scrape, so a
 * deleted topic or a removed replica loses its series at the next scrape without any bookkeeping on the way.
 *
 * <p>With {@code metrics.listener=none} the broker uses {@link #disabled()}: no registry, nothing bound, and
 * the hot-path recorders return at once.
 */
public final class BrokerMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerMetrics.class);

    private final int brokerId;
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness = new Readiness();
    private final TopicTraffic traffic;
    private final RequestMetrics requests;
    private final ConnectionMetrics connections;
    private final ZooKeeperSession zookeeper;
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final LongAdder isrShrinks = new LongAdder();
    private final LongAdder isrExpands = new LongAdder();
    private JvmGcMetrics gcMetrics;
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    private BrokerMetrics(int brokerId, PrometheusMeterRegistry registry) {
        this.brokerId = brokerId;
        this.registry = registry;
        this.traffic = registry == null ? TopicTraffic.disabled() : TopicTraffic.enabled(registry);
        this.requests = registry == null ? RequestMetrics.disabled() : RequestMetrics.enabled(registry);
        this.connections = new ConnectionMetrics(registry);
        this.zookeeper = new ZooKeeperSession(registry, readiness);
    }

    /** A registry with the JVM and process meters bound; the broker's own are added as its parts start. */
    public static BrokerMetrics enabled(int brokerId) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BrokerMetrics metrics = new BrokerMetrics(brokerId, registry);
        new JvmMemoryMetrics().bindTo(registry);
        metrics.gcMetrics = new JvmGcMetrics();
        metrics.gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("process.resident.memory", ProcessMemory::residentBytes).baseUnit("bytes")
                .description("Resident set size of the broker process (VmRSS)").register(registry);
        return metrics;
    }

    public static BrokerMetrics disabled() {
        return new BrokerMetrics(-1, null);
    }

    public boolean isEnabled() {
        return registry != null;
    }

    public Readiness readiness() {
        return readiness;
    }

    public TopicTraffic traffic() {
        return traffic;
    }

    public RequestMetrics requests() {
        return requests;
    }

    public ConnectionMetrics connections() {
        return connections;
    }

    public ZooKeeperSession zookeeper() {
        return zookeeper;
    }

    /** The registry, for tests and for anything else that wants to add meters; empty when metrics are off. */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /** Counts the ISR changes the replicas make as leaders; give it to the ReplicaManager before it activates. */
    public IsrChangeListener isrChanges() {
        // By membership, not size: a change that adds one replica and removes another is an expand and a shrink.
        return (tp, before, after) -> {
            if (!before.containsAll(after)) {
                isrExpands.increment();
            }
            if (!after.containsAll(before)) {
                isrShrinks.increment();
            }
        };
    }

    /**
     * The ReplicaManager's meters: leader and partition counts, under-replicated and under-min-ISR partitions
     * (of the partitions this broker leads), ISR shrinks and expands, and each local replica's log size and end
     * offset. Deleted topics' traffic counters go too, once the metadata no longer has them.
     */
    public void bindReplicas(ReplicaManager replicas, TopicMetadataCache metadata) {
        if (registry == null) {
            return;
        }
        String rm = "kafka.server.replicamanager.";
        Gauge.builder(rm + "leadercount", replicas, r -> count(r, Partition::isLeader))
                .description("Partitions this broker leads").register(registry);
        Gauge.builder(rm + "partitioncount", replicas, r -> r.partitions().size())
                .description("Replicas this broker holds").register(registry);
        Gauge.builder(rm + "underreplicatedpartitions", replicas,
                        r -> count(r, p -> ledWithIsrBelow(p.leadership(), p.replicas().size())))
                .description("Partitions led here whose ISR is smaller than their replica set").register(registry);
        Gauge.builder(rm + "underminisrpartitioncount", replicas,
                        r -> count(r, p -> ledWithIsrBelow(p.leadership(), p.minInsyncReplicas())))
                .description("Partitions led here whose ISR is smaller than min.insync.replicas").register(registry);
        FunctionCounter.builder(rm + "isrshrinks", isrShrinks, LongAdder::doubleValue)
                .description("ISR shrinks made by this broker as leader").register(registry);
        FunctionCounter.builder(rm + "isrexpands", isrExpands, LongAdder::doubleValue)
                .description("ISR expansions made by this broker as leader").register(registry);
        PartitionSeries logs = new PartitionSeries(registry, replicas);
        beforeScrape.add(logs::refresh);
        beforeScrape.add(() -> traffic.retainTopics(metadata.topics().keySet()));
    }

    /**
     * The controller's meters: 1 on the controller and 0 elsewhere, and, on the controller, partitions without a
     * live leader. Unclean leader elections are always 0: Tributary never elects outside the ISR.
     */
    public void bindController(ControllerElection election, TopicMetadataCache metadata, BrokerRegistry brokers) {
        if (registry == null) {
            return;
        }
        Gauge.builder("kafka.controller.kafkacontroller.activecontrollercount", election, e -> e.isController() ? 1 : 0)
                .description("1 on the broker that is the controller, 0 elsewhere").register(registry);
        Gauge.builder("kafka.controller.kafkacontroller.offlinepartitionscount", election,
                        e -> e.isController() ? offlinePartitions(metadata, brokers) : 0)
                .description("On the controller: partitions without a live leader; 0 elsewhere").register(registry);
        FunctionCounter.builder("kafka.controller.controllerstats.uncleanleaderelections", this, m -> 0)
                .description("Always 0: unclean.leader.election.enable=true is not supported").register(registry);
    }

    /**
     * Consumer-group offsets and lag of the groups this broker coordinates (see {@link GroupLag}); the leaders of
     * partitions this broker does not lead are asked for their end offsets in the background.
     */
    public void bindGroups(Supplier<List<GroupOffset>> committed, ReplicaManager replicas, int brokerId,
                           TopicMetadataCache metadata, BrokerRegistry brokers) {
        if (registry == null) {
            return;
        }
        LeaderEndOffsets remote = new LeaderEndOffsets(brokerId, metadata, brokers);
        closeables.add(remote);
        // Only the leader's high watermark is the partition's; a follower's may trail it.
        GroupLag lag = new GroupLag(registry, committed, topic -> metadata.topic(topic).isPresent(),
                tp -> replicas.partition(tp).filter(Partition::isLeader).map(Partition::highWatermark), remote);
        beforeScrape.add(lag::refresh);
    }

    /** Follows the ZooKeeper session for the readiness check and the session metrics; call before it starts. */
    public void follow(CuratorFramework zk) {
        zookeeper.follow(zk);
    }

    /** The Prometheus text exposition of every meter, after refreshing the per-partition and per-group series. */
    public synchronized String scrape() {
        if (registry == null) {
            throw new IllegalStateException("metrics are off (metrics.listener=none)");
        }
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** One read of the leadership, so leader flag and ISR come from the same state. */
    private static boolean ledWithIsrBelow(Leadership leadership, int size) {
        return leadership.leader() && leadership.isr().size() < size;
    }

    private static int count(ReplicaManager replicas, Predicate<Partition> which) {
        int n = 0;
        for (Partition p : replicas.partitions()) {
            if (which.test(p)) {
                n++;
            }
        }
        return n;
    }

    private static int offlinePartitions(TopicMetadataCache metadata, BrokerRegistry brokers) {
        Map<Integer, ?> live = brokers.liveBrokers();
        int offline = 0;
        for (TopicMetadata topic : metadata.topics().values()) {
            for (PartitionMetadata p : topic.partitions().values()) {
                if (p.leader() < 0 || !live.containsKey(p.leader())) {
                    offline++;
                }
            }
        }
        return offline;
    }

    static Tags partitionTags(TopicPartition tp) {
        return Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing the rest anyway: nothing of the broker's state depends on the metrics.
                log.warn("Broker {}: closing the metrics' {} failed", brokerId, c, e);
            }
        }
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
