package io.tributary.broker;

import io.tributary.broker.admin.AdminApis;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ListenerAddress;
import io.tributary.broker.config.MetricsListener;
import io.tributary.broker.fetch.FetchHandler;
import io.tributary.broker.group.GroupApis;
import io.tributary.broker.group.GroupSettings;
import io.tributary.broker.group.OffsetsTopic;
import io.tributary.broker.log.CleanerConfig;
import io.tributary.broker.log.LogCleaner;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metrics.BrokerMetrics;
import io.tributary.broker.metrics.MetricsServer;
import io.tributary.broker.network.KafkaServer;
import io.tributary.broker.offsets.ListOffsetsHandler;
import io.tributary.broker.produce.ProduceHandler;
import io.tributary.broker.producer.InitProducerIdHandler;
import io.tributary.broker.protocol.RequestDispatcher;
import io.tributary.broker.replica.LeadershipHandOver;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.replica.PartitionRetention;
import io.tributary.broker.replica.PreferredLeaderBalancer;
import io.tributary.broker.replica.ReplicaManager;
import io.tributary.broker.replication.ElectLeadersHandler;
import io.tributary.broker.replication.FetcherSettings;
import io.tributary.broker.replication.OffsetsForLeaderEpochHandler;
import io.tributary.broker.replication.ReplicaFetcherManager;
import io.tributary.broker.topic.CreateTopicsHandler;
import io.tributary.broker.topic.DeleteTopicsHandler;
import io.tributary.broker.topic.MetadataHandler;
import io.tributary.broker.topic.MetadataWaiter;
import io.tributary.broker.topic.TopicCreator;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.cluster.ClusterIdentity;
import io.tributary.coordinator.controller.Controller;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.liveness.BrokerFencer;
import io.tributary.coordinator.liveness.PeerFailureDetector;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.coordinator.producerid.ProducerIdAllocator;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.CuratorClientFactory;
import io.tributary.zk.ZkClientConfig;
import io.tributary.zk.model.BrokerRegistration;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker process, assembled: ZooKeeper session, logs, metadata caches, elections, the Kafka
 * listener. {@link #start} brings them up in an order that never exposes a half-started broker to the
 * cluster; {@link #close} takes them down in reverse.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final int brokerId;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Vertx vertx;
    private KafkaServer server;
    private ListenerAddress advertised;
    private ControllerElection controllerElection;
    private ReplicaManager replicaManager;
    private BrokerRegistry registry;
    private ExecutorService shutdownPool;
    private BrokerMetrics metrics = BrokerMetrics.disabled();
    private MetricsServer metricsServer;
    private MetricsListener metricsListener;
    private volatile boolean started;
    private volatile boolean closed;

    private Broker(BrokerConfig config) {
        this.config = config;
        this.brokerId = config.brokerId();
    }

    /**
     * Starts a broker and returns once it serves requests and is registered. On any failure everything
     * already started is closed again and the exception names what went wrong.
     */
    public static Broker start(BrokerConfig config) throws Exception {
        Broker broker = new Broker(config);
        try {
            broker.startComponents();
            return broker;
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    public int brokerId() {
        return brokerId;
    }

    /** The port the Kafka listener is bound to (the real one when the config says 0). */
    public int port() {
        return server.port();
    }

    public ListenerAddress advertisedListener() {
        return advertised;
    }

    /** This broker's replica of a partition, if it holds one (for tests and tools that inspect replicas). */
    public Optional<Partition> replica(TopicPartition topicPartition) {
        return replicaManager == null ? Optional.empty() : replicaManager.partition(topicPartition);
    }

    /**
     * The metrics listener's URL with its real port ({@code http://localhost:9192}), or {@code none} when
     * {@code metrics.listener=none}: the value DescribeConfigs reports for {@code metrics.listener}.
     */
    public MetricsListener metricsListener() {
        return metricsListener;
    }

    /** This broker's meters and readiness (disabled, but never null, when metrics are off). */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** Whether this broker currently holds the controller role. */
    public boolean isController() {
        return controllerElection != null && controllerElection.isController();
    }

    private void startComponents() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
        startMetricsListener();
        BrokerConfig config = this.config.withResolved(BrokerConfig.METRICS_LISTENER, metricsListener);

        ZkClientConfig zkConfig = new ZkClientConfig(config.zookeeperHosts(), config.zookeeperChroot(),
                config.get(BrokerConfig.ZOOKEEPER_SESSION_TIMEOUT_MS), config.get(BrokerConfig.ZOOKEEPER_CONNECTION_TIMEOUT_MS));
        CuratorFramework zk = CuratorClientFactory.newClient(zkConfig);
        toClose.add(zk);
        metrics.follow(zk);
        CuratorClientFactory.startAndAwait(zk, zkConfig);

        LogManager logManager = new LogManager(config.get(BrokerConfig.LOG_DIRS), logConfig());
        toClose.add(logManager);
        metrics.readiness().logsFrom(logManager::loadProgress);
        logManager.loadExisting();

        ExecutorService ioPool = pool("io", config.get(BrokerConfig.NUM_IO_THREADS));
        ExecutorService readPool = pool("read", config.get(BrokerConfig.NUM_IO_THREADS));
        ExecutorService zkPool = pool("zk", 4);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, threads("timer"));
        // Fetch and CreateTopics deadlines are cancelled when answered early; at shutdown none may hold us up.
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        toClose.add(() -> shutdown(List.of(ioPool, readPool, zkPool, timers)));

        String clusterId = ClusterIdentity.getOrCreate(zk);
        registry = new BrokerRegistry(zk);
        toClose.add(registry);
        registry.start();
        TopicMetadataCache metadata = new TopicMetadataCache(zk);
        toClose.add(metadata);
        metadata.start();
        controllerElection = new ControllerElection(zk, brokerId);
        toClose.add(controllerElection);
        TopicStore topicStore = new TopicStore(zk);
        ReplicaFetcherManager fetchers = new ReplicaFetcherManager(brokerId, registry, new FetcherSettings(
                config.get(BrokerConfig.REPLICA_FETCH_WAIT_MAX_MS), config.get(BrokerConfig.REPLICA_FETCH_MIN_BYTES),
                config.get(BrokerConfig.REPLICA_FETCH_MAX_BYTES), config.get(BrokerConfig.REPLICA_FETCH_RESPONSE_MAX_BYTES),
                config.get(BrokerConfig.REPLICA_FETCH_BACKOFF_MS)), metrics.traffic());
        ReplicaManager replicas = new ReplicaManager(brokerId, zk, logManager, ioPool, zkPool, timers, registry, fetchers,
                config.get(BrokerConfig.MIN_INSYNC_REPLICAS), config.get(BrokerConfig.REPLICA_LAG_TIME_MAX_MS));
        toClose.add(replicas);
        replicaManager = replicas;
        replicas.setIsrChangeListener(metrics.isrChanges());
        metrics.bindReplicas(replicas, metadata);
        metrics.bindController(controllerElection, metadata, registry);
        shutdownPool = zkPool;

        MetadataWaiter waiter = new MetadataWaiter(metadata, timers);
        metadata.addListener(waiter);
        TopicLookup topics = new TopicLookup(metadata);
        PartitionLookup partitions = new PartitionLookup(brokerId, replicas);
        TopicCreator creator = new TopicCreator(brokerId, registry, topicStore, config.get(BrokerConfig.NUM_PARTITIONS),
                config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR));
        ProducerIdAllocator producerIds = new ProducerIdAllocator(zk, brokerId, 1000);

        // Consumer groups (docs/architecture.md, "Consumer groups"): the coordinator follows the offsets partitions' leaders.
        OffsetsTopic offsetsTopic = new OffsetsTopic(brokerId, metadata, registry, topicStore,
                config.get(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS), config.get(BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR),
                config.get(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES), zkPool);
        ExecutorService groupPool = pool("group", 2);
        toClose.add(groupPool::shutdownNow);
        GroupApis groups = new GroupApis(brokerId, offsetsTopic, registry, metadata, timers, groupPool, new GroupSettings(
                config.get(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS), config.get(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS),
                config.get(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS), config.get(BrokerConfig.GROUP_MAX_SIZE),
                config.get(BrokerConfig.OFFSETS_COMMIT_TIMEOUT_MS), config.get(BrokerConfig.OFFSET_METADATA_MAX_BYTES),
                config.get(BrokerConfig.OFFSETS_RETENTION_MINUTES) * 60_000L));
        replicas.addRoleListener(groups.shards());
        metrics.bindGroups(groups::committedOffsets, replicas, brokerId, metadata, registry);
        groups.scheduleExpiry(timers, groupPool, config.get(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS));

        AdminApis admin = new AdminApis(new AdminApis.Wiring(config, clusterId, zk, metadata, registry, controllerElection,
                topicStore, logManager, replicas, topics, partitions, waiter, zkPool, readPool));
        toClose.add(admin);
        admin.start();
        RequestDispatcher dispatcher = groups.register(admin.register(RequestDispatcher.builder(brokerId)))
                .register(ApiKeys.METADATA, 0, 13, new MetadataHandler(brokerId, clusterId, registry, controllerElection,
                        metadata, creator, config.get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE), zkPool))
                .register(ApiKeys.PRODUCE, 3, 13, new ProduceHandler(topics, partitions, metrics.traffic(), metrics.requests()))
                .advertiseFrom(ApiKeys.PRODUCE, 0)
                .register(ApiKeys.FETCH, 4, 17, new FetchHandler(topics, partitions, readPool, timers, metrics.traffic(),
                        metrics.requests()))
                .register(ApiKeys.LIST_OFFSETS, 1, 10, new ListOffsetsHandler(topics, partitions, readPool))
                .register(ApiKeys.CREATE_TOPICS, 2, 7, new CreateTopicsHandler(controllerElection, creator, waiter, zkPool))
                .register(ApiKeys.DELETE_TOPICS, 1, 6, new DeleteTopicsHandler(brokerId,
                        config.get(BrokerConfig.DELETE_TOPIC_ENABLE), controllerElection, topicStore, topics, waiter, zkPool))
                .register(ApiKeys.INIT_PRODUCER_ID, 0, 5, new InitProducerIdHandler(brokerId, producerIds, zkPool))
                .register(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4, new OffsetsForLeaderEpochHandler(topics, partitions))
                .register(ApiKeys.ELECT_LEADERS, 0, 2, new ElectLeadersHandler(zk, metadata, registry, waiter, zkPool))
                .build();

        dispatcher.onFailure(metrics.requests()::failed);
        server = new KafkaServer(vertx, config.listener(), dispatcher, config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES), brokerId,
                metrics.connections(), metrics.requests());
        server.start(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        metrics.readiness().listenerBound(server.port());

        // Register only once the listener is bound, so the registration always names a live address.
        advertised = config.advertisedListener(localHostName());
        ListenerAddress withPort = new ListenerAddress(advertised.securityProtocol(), advertised.host(),
                advertised.port() == 0 ? server.port() : advertised.port());
        advertised = withPort;
        // A registration left by this broker's own previous process (kill -9) at the same address expires
        // with its session; wait for that rather than refusing to start. Any other holder is a duplicate.
        Duration staleSessionWait = Duration.ofMillis(config.get(BrokerConfig.ZOOKEEPER_SESSION_TIMEOUT_MS) + 5_000L);
        BrokerFencer fencer = new BrokerFencer(zk, metadata, brokerId);
        registry.register(new BrokerRegistration(brokerId, withPort.host(), withPort.port(), config.rack(),
                List.of(withPort.toString()), System.currentTimeMillis()), staleSessionWait, fencer::fence);
        metrics.readiness().registered();

        // Join elections only after registering: a broker with a duplicate id must never lead anything.
        metadata.addListener(replicas);
        registry.addListener(replicas);
        replicas.activate(metadata::topics);
        PreferredLeaderBalancer balancer = new PreferredLeaderBalancer(brokerId, zk, replicas, metadata,
                new LeadershipHandOver(brokerId, zkPool), Executors.newSingleThreadExecutor(threads("leader-balancer")),
                config.get(BrokerConfig.LEADER_IMBALANCE_PER_BROKER_PERCENTAGE));
        toClose.add(balancer);
        balancer.start();
        PeerFailureDetector failureDetector = new PeerFailureDetector(brokerId, registry, fencer);
        toClose.add(failureDetector);
        failureDetector.start();
        controllerElection.start();
        Controller controller = new Controller(zk, controllerElection);
        toClose.add(controller);
        controller.start();

        long retentionInterval = config.get(BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS);
        timers.scheduleWithFixedDelay(new PartitionRetention(brokerId, replicas::partitions), retentionInterval,
                retentionInterval, TimeUnit.MILLISECONDS);
        long isrCheckInterval = Math.max(1, config.get(BrokerConfig.REPLICA_LAG_TIME_MAX_MS) / 2);
        timers.scheduleWithFixedDelay(replicas::shrinkLaggingIsrs, isrCheckInterval, isrCheckInterval, TimeUnit.MILLISECONDS);
        long checkpointInterval = config.get(BrokerConfig.REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS);
        timers.scheduleWithFixedDelay(() -> ioPool.execute(replicas::checkpointHighWatermarks), checkpointInterval,
                checkpointInterval, TimeUnit.MILLISECONDS);
        if (config.get(BrokerConfig.AUTO_LEADER_REBALANCE_ENABLE)) {
            long imbalanceInterval = config.get(BrokerConfig.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000L;
            timers.scheduleWithFixedDelay(balancer::checkImbalance, imbalanceInterval, imbalanceInterval, TimeUnit.MILLISECONDS);
        }
        // Log compaction: the cleaner cleans each compacted log below its partition's high watermark.
        LogCleaner cleaner = new LogCleaner(brokerId, logManager, new CleanerConfig(config.get(BrokerConfig.LOG_CLEANER_ENABLE),
                config.get(BrokerConfig.LOG_CLEANER_THREADS), config.get(BrokerConfig.LOG_CLEANER_BACKOFF_MS),
                config.get(BrokerConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE), config.get(BrokerConfig.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND),
                CleanerConfig.defaults().ioBufferSize()),
                partitionLog -> replicas.partition(new TopicPartition(partitionLog.topic(), partitionLog.partition()))
                        .filter(p -> p.log() == partitionLog).map(Partition::highWatermark).orElse(partitionLog.logStartOffset()),
                System::currentTimeMillis);
        toClose.add(cleaner);
        cleaner.start();
        started = true;
        log.info("Tributary broker {} started, listening on {}:{} (cluster {})", brokerId, withPort.host(), withPort.port(), clusterId);
    }

    /**
     * Starts the metrics and health listener before anything else, so /health/ready can say what start-up is
     * waiting for; a port that cannot be bound stops start-up naming metrics.listener. With
     * metrics.listener=none nothing is registered or served.
     */
    private void startMetricsListener() throws Exception {
        MetricsListener wanted = config.metricsListener();
        if (wanted.isOff()) {
            metricsListener = wanted;
            log.info("Broker {}: metrics.listener=none: no metrics or health endpoints", brokerId);
            return;
        }
        metrics = BrokerMetrics.enabled(brokerId); // closed in close() after the listener stops, not with toClose
        metricsServer = new MetricsServer(vertx, wanted, metrics, brokerId);
        try {
            metricsListener = metricsServer.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            metricsServer = null;
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private LogConfig logConfig() {
        LogConfig defaults = LogConfig.defaults();
        return new LogConfig(config.get(BrokerConfig.LOG_SEGMENT_BYTES), config.get(BrokerConfig.LOG_ROLL_MS),
                config.get(BrokerConfig.LOG_RETENTION_MS), config.get(BrokerConfig.LOG_RETENTION_BYTES),
                config.get(BrokerConfig.LOG_INDEX_INTERVAL_BYTES), config.get(BrokerConfig.MESSAGE_MAX_BYTES),
                defaults.flushIntervalMessages())
                .withCompaction(config.get(BrokerConfig.LOG_CLEANUP_POLICY), config.get(BrokerConfig.LOG_CLEANER_DELETE_RETENTION_MS),
                        config.get(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO), config.get(BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS),
                        config.get(BrokerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private ExecutorService pool(String name, int threads) {
        return Executors.newFixedThreadPool(threads, threads(name));
    }

    private ThreadFactory threads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "broker-" + brokerId + "-" + name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void shutdown(List<ExecutorService> pools) throws InterruptedException {
        for (ExecutorService pool : pools) {
            pool.shutdown();
        }
        for (ExecutorService pool : pools) {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Controlled shutdown (docs/architecture.md): first hands every led partition to a caught-up follower
     * while the listener still serves their fetches, then stops serving, leaves every election, flushes
     * the logs and closes the ZooKeeper session, which removes this broker's registration.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Readiness goes first: a load balancer or the console stops sending here before anything is taken down.
        metrics.readiness().shuttingDown();
        log.info("Broker {}: shutting down", brokerId);
        if (started && config.get(BrokerConfig.CONTROLLED_SHUTDOWN_ENABLE)) {
            try {
                new LeadershipHandOver(brokerId, shutdownPool).run(replicaManager.shutdownMoves(),
                        config.get(BrokerConfig.CONTROLLED_SHUTDOWN_TIMEOUT_MS), true, "controlled shutdown");
            } catch (RuntimeException e) {
                log.warn("Broker {}: controlled shutdown failed; partitions move when its elections close", brokerId, e);
            }
        }
        if (registry != null) {
            // Leave the membership before the listener closes: peers must not take a closing port for a dead process.
            registry.deregister();
        }
        if (server != null) {
            try {
                server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Broker {}: stopping the listener failed", brokerId, e);
            }
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                log.warn("Broker {}: closing {} failed", brokerId, toClose.get(i), e);
            }
        }
        if (metricsServer != null) {
            try {
                metricsServer.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Broker {}: stopping the metrics listener failed", brokerId, e);
            }
        }
        // Only now: a scrape answered while the rest shut down still found its registry open.
        metrics.close();
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Broker {}: closing Vert.x failed", brokerId, e);
            }
        }
        log.info("Broker {}: shut down", brokerId);
    }
}
