package io.tributary.broker.group;

import io.tributary.coordinator.assignment.ReplicaAssigner;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.coordinator.topics.TopicExistsException;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.model.BrokerRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal topic {@code __consumer_offsets}: which partition holds a group, and its creation on first use.
 * It is created here, not through CreateTopics: its name and configs (compact) are the broker's own, so the
 * user-facing topic validator never sees them. Several brokers may create it at once; all but one find it exists.
 * It is created only once {@code offsets.topic.replication.factor} brokers are alive (as Kafka).
 */
public final class OffsetsTopic {

    public static final String NAME = "__consumer_offsets";

    private static final Logger log = LoggerFactory.getLogger(OffsetsTopic.class);
    private static final long SHORTFALL_LOG_INTERVAL_MS = 10_000;

    private final int brokerId;
    private final TopicMetadataCache metadata;
    private final BrokerRegistry brokers;
    private final TopicStore store;
    private final int configuredPartitions;
    private final int configuredReplicationFactor;
    private final long segmentBytes;
    private final Executor zkPool;
    private final AtomicReference<CompletableFuture<Void>> creation = new AtomicReference<>();
    /** The partition count first seen (0 until then): groups map by it for good, as Kafka reads it once. */
    private volatile int fixedPartitionCount;
    private volatile long lastShortfallLogMs;

    public OffsetsTopic(int brokerId, TopicMetadataCache metadata, BrokerRegistry brokers, TopicStore store,
                        int partitions, int replicationFactor, long segmentBytes, Executor zkPool) {
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.brokers = brokers;
        this.store = store;
        this.configuredPartitions = partitions;
        this.configuredReplicationFactor = replicationFactor;
        this.segmentBytes = segmentBytes;
        this.zkPool = zkPool;
    }

    public static boolean isOffsetsTopic(String topic) {
        return NAME.equals(topic);
    }

    public Optional<TopicMetadata> topic() {
        return metadata.topic(NAME);
    }

    /**
     * Partitions of the topic as first seen by this broker, or as it will be created. Fixed once seen: partitions
     * added later (CreatePartitions refuses it, but ZooKeeper could be edited) must not move any group.
     */
    public int partitionCount() {
        int fixed = fixedPartitionCount;
        if (fixed > 0) {
            return fixed;
        }
        Optional<TopicMetadata> existing = topic();
        if (existing.isEmpty() || existing.get().partitions().isEmpty()) {
            return configuredPartitions;
        }
        synchronized (this) {
            if (fixedPartitionCount == 0) {
                fixedPartitionCount = existing.get().partitions().size();
                if (fixedPartitionCount != configuredPartitions) {
                    log.info("Broker {}: {} has {} partitions (offsets.topic.num.partitions is {}); groups map by {}",
                            brokerId, NAME, fixedPartitionCount, configuredPartitions, fixedPartitionCount);
                }
            }
            return fixedPartitionCount;
        }
    }

    /** The partition whose leader coordinates {@code groupId}: abs(hashCode) mod partitions, exactly as Kafka. */
    public int partitionFor(String groupId) {
        return Utils.abs(groupId.hashCode()) % partitionCount();
    }

    public Optional<PartitionMetadata> partition(int partition) {
        return topic().flatMap(t -> t.partition(partition));
    }

    /**
     * Creates the topic unless it exists; completes once it is written to ZooKeeper (leaders follow). Never
     * blocks the caller; one creation at a time per broker.
     */
    public CompletableFuture<Void> ensureCreated() {
        if (topic().isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> running = creation.get();
        if (running != null && !running.isDone()) {
            return running;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!creation.compareAndSet(running, mine)) {
            return creation.get();
        }
        zkPool.execute(() -> {
            try {
                create();
                mine.complete(null);
            } catch (NotEnoughBrokersException e) {
                logShortfall(e.getMessage());
                mine.completeExceptionally(e);
            } catch (RuntimeException e) {
                log.warn("Broker {}: could not create {}: {}", brokerId, NAME, e.toString());
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    /**
     * Why the topic cannot be created now, or null: as Kafka (KIP-115), it waits for
     * {@code offsets.topic.replication.factor} live brokers rather than be created with fewer replicas for good.
     * Group requests are answered COORDINATOR_NOT_AVAILABLE (FindCoordinator) meanwhile.
     */
    public String shortfall(int liveBrokers) {
        if (liveBrokers >= configuredReplicationFactor) {
            return null;
        }
        return "only " + liveBrokers + " live broker(s), fewer than offsets.topic.replication.factor="
                + configuredReplicationFactor + " that " + NAME + " needs: consumer groups are unavailable until enough"
                + " brokers are up (ignore this while the cluster starts; a smaller cluster must lower that setting)";
    }

    /** The current shortfall, for answers to group requests. */
    public String shortfall() {
        return shortfall(brokers.liveBrokers().size());
    }

    private void logShortfall(String why) {
        long now = System.currentTimeMillis();
        if (now - lastShortfallLogMs >= SHORTFALL_LOG_INTERVAL_MS) {
            lastShortfallLogMs = now; // clients retry FindCoordinator every few ms: say it now and then, not each time
            log.warn("Broker {}: not creating {}: {}", brokerId, NAME, why);
        }
    }

    /** Fewer live brokers than the offsets topic's replication factor. */
    static final class NotEnoughBrokersException extends RuntimeException {
        NotEnoughBrokersException(String message) {
            super(message);
        }
    }

    private void create() {
        if (topic().isPresent()) {
            return;
        }
        List<BrokerRegistration> live = new ArrayList<>(brokers.liveBrokers().values());
        String shortfall = shortfall(live.size());
        if (shortfall != null) {
            throw new NotEnoughBrokersException(shortfall);
        }
        int replicationFactor = configuredReplicationFactor;
        Map<Integer, List<Integer>> assignment = ReplicaAssigner.assign(configuredPartitions, replicationFactor, live,
                ThreadLocalRandom.current().nextInt(live.size()));
        try {
            store.createTopic(NAME, assignment, Map.of("cleanup.policy", "compact", "segment.bytes", Long.toString(segmentBytes)));
            log.info("Broker {}: created {} with {} partitions, replication factor {}", brokerId, NAME,
                    configuredPartitions, replicationFactor);
        } catch (TopicExistsException e) {
            log.debug("Broker {}: {} was created by another broker meanwhile", brokerId, NAME);
        }
    }
}
