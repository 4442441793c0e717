package io.tributary.broker.replica;

import io.tributary.broker.concurrent.SerialExecutor;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import io.tributary.coordinator.leadership.PartitionLeaderElector;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.model.PartitionState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's partition replicas in line with the topic metadata in ZooKeeper: creates the
 * local log and joins the partition's leader election when a replica is assigned here, and removes
 * both when its topic is deleted.
 */
public final class ReplicaManager implements TopicMetadataCache.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final int brokerId;
    private final CuratorFramework zk;
    private final LogManager logManager;
    private final ExecutorService ioPool;
    private final int defaultMinInsyncReplicas;
    private final Map<TopicPartition, Replica> replicas = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A local partition and the election it takes part in. */
    private record Replica(Partition partition, PartitionLeaderElector elector) {}

    public ReplicaManager(int brokerId, CuratorFramework zk, LogManager logManager, ExecutorService ioPool,
                          int defaultMinInsyncReplicas) {
        this.brokerId = brokerId;
        this.zk = zk;
        this.logManager = logManager;
        this.ioPool = ioPool;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
    }

    public Optional<Partition> partition(TopicPartition topicPartition) {
        Replica replica = replicas.get(topicPartition);
        return replica == null ? Optional.empty() : Optional.of(replica.partition());
    }

    /** Runs on the metadata cache's event thread, one event at a time. */
    @Override
    public void topicChanged(TopicMetadata topic) {
        if (closed) {
            return;
        }
        for (PartitionMetadata metadata : topic.partitions().values()) {
            if (!metadata.replicas().contains(brokerId)) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic.name(), metadata.partition());
            Replica existing = replicas.get(tp);
            if (existing == null) {
                startReplica(topic, tp);
            } else {
                existing.partition().setMinInsyncReplicas(minInsyncReplicas(topic.configs()));
            }
        }
    }

    @Override
    public void topicDeleted(String topic) {
        replicas.keySet().stream().filter(tp -> tp.topic().equals(topic)).toList().forEach(tp -> {
            Replica replica = replicas.remove(tp);
            stopElection(replica, "topic deleted");
            replica.partition().writer().execute(() -> {
                replica.partition().resignLeadership("topic " + topic + " deleted");
                try {
                    logManager.delete(tp.topic(), tp.partition());
                    log.info("Broker {}: deleted the log of {}", brokerId, tp);
                } catch (RuntimeException e) {
                    log.error("Broker {}: could not delete the log of {}", brokerId, tp, e);
                }
            });
        });
    }

    private void startReplica(TopicMetadata topic, TopicPartition tp) {
        PartitionLog partitionLog;
        try {
            partitionLog = openForTopicId(topic, tp);
        } catch (IOException | RuntimeException e) {
            log.error("Broker {}: cannot open the log of {}; the replica stays offline", brokerId, tp, e);
            return;
        }
        SerialExecutor writer = new SerialExecutor(ioPool, "partition " + tp);
        Partition partition = new Partition(brokerId, tp, partitionLog, writer, minInsyncReplicas(topic.configs()));
        PartitionLeaderElector elector = new PartitionLeaderElector(zk, brokerId, tp.topic(), tp.partition(),
                new PartitionLeaderElector.Listener() {
                    @Override
                    public void becameLeader(int leaderEpoch, PartitionState state, int zkVersion) {
                        partition.becomeLeader(leaderEpoch, state.isr());
                    }

                    @Override
                    public void lostLeadership(String reason) {
                        partition.resignLeadership(reason);
                    }
                }, writer);
        replicas.put(tp, new Replica(partition, elector));
        try {
            elector.start();
            log.info("Broker {}: replica of {} is online, log end offset {}", brokerId, tp, partitionLog.logEndOffset());
        } catch (Exception e) {
            log.error("Broker {}: cannot join the leader election of {}", brokerId, tp, e);
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
            logManager.delete(tp.topic(), tp.partition());
            partitionLog = logManager.getOrCreate(tp.topic(), tp.partition(), topic.configs());
        }
        if (storedId.isEmpty() || !storedId.get().equals(topic.topicId())) {
            PartitionMetadataFile.write(partitionLog.dir(), topic.topicId());
        }
        return partitionLog;
    }

    /** Logs on disk that no topic in ZooKeeper assigns here: kept, not deleted, but worth an operator's look. */
    public void warnAboutStrayLogs(Map<String, TopicMetadata> topics) {
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

    private int minInsyncReplicas(Map<String, String> topicConfigs) {
        String override = topicConfigs.get("min.insync.replicas");
        return override == null ? defaultMinInsyncReplicas : Integer.parseInt(override);
    }

    /** Applies retention to every local log, each on its own partition's writer. */
    public void enforceRetention() {
        long now = System.currentTimeMillis();
        for (Replica replica : replicas.values()) {
            Partition partition = replica.partition();
            partition.writer().execute(() -> {
                // Never delete what consumers have not been allowed to read yet.
                int deleted = partition.log().deleteExpiredSegments(now, partition.highWatermark());
                if (deleted > 0) {
                    log.info("Broker {}: retention deleted {} segment(s) of {}, log start offset now {}", brokerId,
                            deleted, partition.topicPartition(), partition.logStartOffset());
                }
            });
        }
    }

    public List<Partition> partitions() {
        return replicas.values().stream().map(Replica::partition).toList();
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
     * Leaves every election, then flushes and closes the logs on their writers, and waits (bounded) until
     * every writer is done so nothing is written after the broker says it has stopped.
     */
    @Override
    public void close() {
        closed = true;
        List<CompletableFuture<Void>> flushed = new ArrayList<>();
        for (Replica replica : replicas.values()) {
            stopElection(replica, "broker shutting down");
            CompletableFuture<Void> done = new CompletableFuture<>();
            flushed.add(done);
            replica.partition().writer().execute(() -> {
                replica.partition().resignLeadership("broker shutting down");
                try {
                    replica.partition().log().flush();
                } catch (IOException | RuntimeException e) {
                    log.warn("Broker {}: flushing {} at shutdown failed", brokerId, replica.partition().topicPartition(), e);
                }
                replica.partition().closeLog();
                done.complete(null);
            });
        }
        try {
            CompletableFuture.allOf(flushed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Broker {}: not every partition log was flushed and closed at shutdown", brokerId, e);
        }
    }
}
