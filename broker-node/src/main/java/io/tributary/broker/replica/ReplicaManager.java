package io.tributary.broker.replica;

import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.replication.ReplicaFetcherManager;
import io.tributary.coordinator.SerialExecutor;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.zk.model.BrokerRegistration;
import io.tributary.coordinator.leadership.PartitionLeaderElector;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.model.PartitionState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's partition replicas in line with the topic metadata in ZooKeeper: creates the
 * local log and joins the partition's leader election when a replica is assigned here, and removes
 * both when its topic is deleted (or replaced by a new topic of the same name). Wires each replica's
 * election to its role: leading, or following the leader the state znode names (through the
 * {@link ReplicaFetcherManager}); and reacts to membership: a dead follower leaves the ISRs this broker
 * leads at once, and a fenced broker (this one, taken for dead) starts its elections over.
 *
 * <p>Lifecycle changes are serialised under this object's lock: metadata events arrive on the cache's
 * thread while start-up replays the topics known so far, and a replica must never be started twice or
 * after {@link #close()}. Lookups need no lock.
 */
public final class ReplicaManager implements TopicMetadataCache.Listener, BrokerRegistry.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);
    private static final long SHUTDOWN_STEP_TIMEOUT_MS = 30_000;

    private final int brokerId;
    private final CuratorFramework zk;
    private final LogManager logManager;
    private final ExecutorService ioPool;
    private final ExecutorService zkPool;
    private final ScheduledExecutorService timers;
    private final BrokerRegistry brokers;
    private final ReplicaFetcherManager fetchers;
    private volatile int defaultMinInsyncReplicas;
    private final long replicaLagTimeMaxMs;
    private final Map<TopicPartition, Replica> replicas = new ConcurrentHashMap<>();
    private final List<PartitionRoleListener> roleListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile IsrChangeListener isrChangeListener = IsrChangeListener.NONE;
    private boolean active;
    private boolean closed;

    /** A local partition, the topic id it was opened for, and the election it takes part in. */
    private record Replica(Partition partition, String topicId, PartitionLeaderElector elector) {}

    public ReplicaManager(int brokerId, CuratorFramework zk, LogManager logManager, ExecutorService ioPool,
                          ExecutorService zkPool, ScheduledExecutorService timers, BrokerRegistry brokers,
                          ReplicaFetcherManager fetchers, int defaultMinInsyncReplicas, long replicaLagTimeMaxMs) {
        this.brokerId = brokerId;
        this.zk = zk;
        this.logManager = logManager;
        this.ioPool = ioPool;
        this.zkPool = zkPool;
        this.timers = timers;
        this.brokers = brokers;
        this.fetchers = fetchers;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
    }

    /** Controlled shutdown: every partition this broker leads, to any caught-up ISR follower. */
    public List<LeadershipHandOver.Move> shutdownMoves() {
        return replicas.values().stream().filter(r -> r.partition().isLeader())
                .map(r -> new LeadershipHandOver.Move(r.partition(), r.elector(), id -> true)).toList();
    }

    /**
     * Preferred-leader moves: the partitions this broker leads, among {@code wanted}, whose preferred replica (the
     * first assigned) is another broker that is registered and in the ISR; each may go to that broker only.
     */
    List<LeadershipHandOver.Move> preferredMoves(Predicate<Partition> wanted) {
        List<LeadershipHandOver.Move> moves = new ArrayList<>();
        for (Replica replica : replicas.values()) {
            Partition partition = replica.partition();
            int preferred = partition.replicas().get(0);
            if (partition.isLeader() && preferred != brokerId && brokers.liveBrokers().containsKey(preferred)
                    && partition.leadership().isr().contains(preferred) && wanted.test(partition)) {
                moves.add(new LeadershipHandOver.Move(partition, replica.elector(), id -> id == preferred));
            }
        }
        return moves;
    }

    /** Drops the followers that lag or left from the ISRs this broker leads; run every half lag period. */
    public void shrinkLaggingIsrs() {
        long now = System.currentTimeMillis();
        for (Replica replica : replicas.values()) {
            replica.partition().maybeShrinkIsr(now, replicaLagTimeMaxMs, id -> brokers.liveBrokers().containsKey(id));
        }
    }

    /** Writes the high watermark checkpoints that moved; run periodically and at shutdown. */
    public void checkpointHighWatermarks() {
        for (Replica replica : replicas.values()) {
            try {
                replica.partition().checkpointHighWatermark();
            } catch (RuntimeException e) {
                log.warn("Broker {}: could not checkpoint the high watermark of {}", brokerId,
                        replica.partition().topicPartition(), e);
            }
        }
    }

    @Override
    public void brokerJoined(BrokerRegistration broker) {
    }

    @Override
    public void brokerLeft(int id) {
        if (id == brokerId && brokers.isDeregistered()) {
            return; // shutting down
        }
        if (id == brokerId) {
            // Fenced by a peer that took this broker for dead: whatever we led has (or will soon have) a new
            // leader. Stop leading now and start every election over (docs/architecture.md, "Fast failure detection").
            for (Replica replica : replicas.values()) {
                replica.partition().resignLeadership("this broker was fenced", -1);
                replica.elector().rejoin("this broker was fenced");
            }
            return;
        }
        // A dead follower would hold every acks=all write until replica.lag.time.max.ms: drop it now.
        shrinkLaggingIsrs();
    }

    /** Adds a listener told whenever any local replica starts or stops leading; add it before {@link #activate}. */
    public void addRoleListener(PartitionRoleListener listener) {
        roleListeners.add(listener);
    }

    /** Told of every ISR change this broker makes as leader (the metrics' shrink/expand counts); set before {@link #activate}. */
    public void setIsrChangeListener(IsrChangeListener listener) {
        this.isrChangeListener = listener;
    }

    public Optional<Partition> partition(TopicPartition topicPartition) {
        Replica replica = replicas.get(topicPartition);
        return replica == null ? Optional.empty() : Optional.of(replica.partition());
    }

    public List<Partition> partitions() {
        return replicas.values().stream().map(Replica::partition).toList();
    }

    /**
     * Starts acting on metadata: replays every topic known now, then follows events. Called once this
     * broker is registered, so a broker refused for a duplicate id never joins an election. Events that
     * arrived before are already part of {@code current}, which is read under the same lock as events.
     */
    public synchronized void activate(Supplier<Map<String, TopicMetadata>> current) {
        active = true;
        Map<String, TopicMetadata> topics = current.get();
        topics.values().forEach(this::topicChanged);
        warnAboutStrayLogs(topics);
    }

    @Override
    public synchronized void topicChanged(TopicMetadata topic) {
        if (!active || closed) {
            return;
        }
        for (PartitionMetadata metadata : topic.partitions().values()) {
            if (!metadata.replicas().contains(brokerId)) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic.name(), metadata.partition());
            Replica existing = replicas.get(tp);
            if (existing != null && !existing.topicId().equals(topic.topicId())) {
                // Deleted and created again between two events we saw: the old replica must go first.
                removeReplica(tp, "topic " + topic.name() + " was replaced by a new topic with id " + topic.topicId());
                existing = null;
            }
            if (existing == null) {
                startReplica(topic, tp, metadata.replicas());
            } else {
                applyTopicConfig(existing.partition(), topic.configs());
                existing.partition().setReplicas(metadata.replicas());
            }
        }
    }

    @Override
    public synchronized void topicDeleted(String topic) {
        if (!active || closed) {
            return;
        }
        replicas.keySet().stream().filter(tp -> tp.topic().equals(topic)).toList()
                .forEach(tp -> removeReplica(tp, "topic " + topic + " deleted"));
    }

    /**
     * Stops the replica and deletes its log, waiting (bounded) for the delete: a topic created again under the
     * same name opens the same directory next, and must never find the old files or have them deleted under it.
     */
    private void removeReplica(TopicPartition tp, String reason) {
        Replica replica = replicas.remove(tp);
        if (replica == null) {
            return;
        }
        stopElection(replica, reason);
        fetchers.stopFollowing(tp);
        Partition partition = replica.partition();
        CompletableFuture<Boolean> deleted = partition.onWriter(() -> {
            partition.resignLeadership(reason, -1);
            return logManager.delete(partition.log());
        });
        try {
            if (deleted.get(SHUTDOWN_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                log.info("Broker {}: deleted the log of {}: {}", brokerId, tp, reason);
            }
        } catch (Exception e) {
            log.error("Broker {}: could not delete the log of {} ({})", brokerId, tp, reason, e);
        }
    }

    private void startReplica(TopicMetadata topic, TopicPartition tp, List<Integer> assigned) {
        PartitionLog partitionLog;
        try {
            partitionLog = openForTopicId(topic, tp);
        } catch (IOException | RuntimeException e) {
            log.error("Broker {}: cannot open the log of {}; the replica stays offline", brokerId, tp, e);
            return;
        }
        SerialExecutor writer = new SerialExecutor(ioPool);
        Partition partition = new Partition(brokerId, tp, partitionLog, writer, timers, minInsyncReplicas(topic.configs()), assigned);
        // Callbacks run directly on the election lane: losing leadership must not wait behind queued writes.
        PartitionLeaderElector elector = new PartitionLeaderElector(zk, brokerId, tp.topic(), tp.partition(), brokers,
                new ReplicaRole(partition), Runnable::run);
        partition.setIsrWriter(isr -> CompletableFuture.supplyAsync(() -> elector.updateIsr(isr), zkPool));
        partition.setIsrChangeListener(isrChangeListener);
        partition.setRoleListener(new PartitionRoleListener() {
            @Override
            public void becameLeader(Partition p, int leaderEpoch) {
                roleListeners.forEach(l -> l.becameLeader(p, leaderEpoch));
            }

            @Override
            public void resigned(Partition p) {
                roleListeners.forEach(l -> l.resigned(p));
            }
        });
        replicas.put(tp, new Replica(partition, topic.topicId(), elector));
        // A broker must not be named leader before it can serve: join the election once the replica is loaded.
        partition.loaded().thenRunAsync(() -> {
            try {
                elector.start();
                log.info("Broker {}: replica of {} is online, log end offset {}, high watermark {}", brokerId, tp,
                        partitionLog.logEndOffset(), partition.highWatermark());
            } catch (IllegalStateException closedMeanwhile) {
                log.debug("Broker {}: the replica of {} was removed before it joined the election", brokerId, tp);
            } catch (RuntimeException e) {
                log.error("Broker {}: cannot join the leader election of {}", brokerId, tp, e);
            }
        }, zkPool);
    }

    /** What the election tells a replica: lead, stop leading, or follow the leader the state names. */
    private final class ReplicaRole implements PartitionLeaderElector.Listener {
        private final Partition partition;

        ReplicaRole(Partition partition) {
            this.partition = partition;
        }

        @Override
        public void becameLeader(int leaderEpoch, PartitionState state, int zkVersion) {
            fetchers.stopFollowing(partition.topicPartition());
            partition.becomeLeader(leaderEpoch, state.isr());
        }

        @Override
        public void lostLeadership(String reason) {
            partition.resignLeadership(reason, -1);
        }

        @Override
        public void stateChanged(PartitionState state) {
            if (state.leader() == brokerId) {
                return; // the election decides whether this broker accepts or claims it
            }
            if (partition.isLeader()) {
                partition.resignLeadership("the state names leader " + state.leader() + " at epoch " + state.leaderEpoch(),
                        state.leaderEpoch());
            }
            partition.followState(state.leaderEpoch(), state.isr());
            if (state.hasLeader()) {
                fetchers.follow(partition, state.leader(), state.leaderEpoch());
            } else {
                fetchers.stopFollowing(partition.topicPartition());
            }
        }
    }

    /**
     * Opens the partition's log, first discarding a directory left by an earlier topic of the same name
     * (deleted while this broker was down): its topic id differs from the current one.
     */
    private PartitionLog openForTopicId(TopicMetadata topic, TopicPartition tp) throws IOException {
        PartitionLog partitionLog = logManager.getOrCreate(tp.topic(), tp.partition(), topic.configs());
        Optional<String> storedId = PartitionMetadataFile.readTopicId(partitionLog.dir());
        if (storedId.isPresent() && !storedId.get().equals(topic.topicId())) {
            log.warn("Broker {}: the log of {} belongs to an earlier topic with id {} (now {}); deleting it, {} offsets",
                    brokerId, tp, storedId.get(), topic.topicId(), partitionLog.logEndOffset());
            logManager.delete(partitionLog);
            partitionLog = logManager.getOrCreate(tp.topic(), tp.partition(), topic.configs());
        }
        if (storedId.isEmpty() || !storedId.get().equals(topic.topicId())) {
            PartitionMetadataFile.write(partitionLog.dir(), topic.topicId());
        }
        return partitionLog;
    }

    /** Logs on disk that no topic in ZooKeeper assigns here: kept, not deleted, but worth an operator's look. */
    private void warnAboutStrayLogs(Map<String, TopicMetadata> topics) {
        for (PartitionLog partitionLog : logManager.all()) {
            TopicMetadata topic = topics.get(partitionLog.topic());
            boolean assignedHere = topic != null && topic.partition(partitionLog.partition())
                    .map(p -> p.replicas().contains(brokerId)).orElse(false);
            if (!assignedHere) {
                log.warn("Broker {}: the log in {} belongs to no partition assigned to this broker; it is left on disk",
                        brokerId, partitionLog.dir());
            }
        }
    }

    /**
     * Applies a topic's config overrides (on top of the broker's current defaults) to a live replica: min.insync.replicas
     * at the next acks=all write, the log settings (retention, segment size and age, max.message.bytes) at the next
     * append or retention pass. This is how IncrementalAlterConfigs takes effect without a restart.
     */
    private void applyTopicConfig(Partition partition, Map<String, String> topicConfigs) {
        try {
            partition.setMinInsyncReplicas(minInsyncReplicas(topicConfigs));
            partition.log().updateConfig(logManager.defaults().withOverrides(topicConfigs));
        } catch (IllegalArgumentException e) {
            log.error("Broker {}: cannot apply the config {} to {}; it keeps its previous config", brokerId, topicConfigs,
                    partition.topicPartition(), e);
        }
    }

    /**
     * The dynamic broker defaults changed (DynamicBrokerConfigs): {@code minInsyncReplicas} becomes the default, and
     * every replica gets its topic's overrides again on top of the new log defaults (set in the LogManager first).
     */
    public synchronized void defaultsChanged(int minInsyncReplicas, Map<String, TopicMetadata> topics) {
        defaultMinInsyncReplicas = minInsyncReplicas;
        for (Map.Entry<TopicPartition, Replica> entry : replicas.entrySet()) {
            TopicMetadata topic = topics.get(entry.getKey().topic());
            applyTopicConfig(entry.getValue().partition(), topic == null ? Map.of() : topic.configs());
        }
    }

    private int minInsyncReplicas(Map<String, String> topicConfigs) {
        String override = topicConfigs.get("min.insync.replicas");
        return override == null ? defaultMinInsyncReplicas : Integer.parseInt(override);
    }

    private void stopElection(Replica replica, String reason) {
        try {
            replica.elector().close();
        } catch (RuntimeException e) {
            log.warn("Broker {}: leaving the election of {} ({}) failed", brokerId,
                    replica.partition().topicPartition(), reason, e);
        }
    }

    /**
     * Stops writes and flushes and closes every log first (no ZooKeeper needed, so an unreachable
     * ZooKeeper cannot keep data unflushed), then leaves all elections in parallel; each step is bounded.
     */
    @Override
    public void close() {
        List<Replica> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = List.copyOf(replicas.values());
        }
        fetchers.close(); // no follower append may reach a log closed below
        List<CompletableFuture<Void>> flushed = new ArrayList<>();
        for (Replica replica : toStop) {
            Partition partition = replica.partition();
            CompletableFuture<Void> done = new CompletableFuture<>();
            flushed.add(done);
            partition.writer().execute(() -> {
                partition.resignLeadership("broker shutting down", -1);
                try {
                    partition.log().flush();
                } catch (IOException | RuntimeException e) {
                    log.warn("Broker {}: flushing {} at shutdown failed", brokerId, partition.topicPartition(), e);
                }
                partition.closeLog();
                done.complete(null);
            });
        }
        awaitAll(flushed, "flush and close the partition logs");
        List<CompletableFuture<Void>> left = new ArrayList<>();
        for (Replica replica : toStop) {
            left.add(CompletableFuture.runAsync(() -> stopElection(replica, "broker shutting down"), ioPool));
        }
        awaitAll(left, "leave the partition elections");
    }

    private void awaitAll(List<CompletableFuture<Void>> steps, String what) {
        try {
            CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).get(SHUTDOWN_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Broker {}: could not {} within {} ms at shutdown", brokerId, what, SHUTDOWN_STEP_TIMEOUT_MS, e);
        }
    }
}
