package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.replica.Leadership;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionRoleListener;
import io.tributary.coordinator.SerialExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which offsets partitions this broker coordinates. Follows leadership (it is a {@link PartitionRoleListener}):
 * on becoming leader of an offsets partition its groups are loaded from the log on a pool thread, and requests
 * for them are answered COORDINATOR_LOAD_IN_PROGRESS meanwhile; on losing it they are unloaded at once, and
 * requests get NOT_COORDINATOR. Loads and unloads of one partition run in order on its own lane.
 */
public final class CoordinatorShards implements PartitionRoleListener {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorShards.class);
    private static final long LOAD_RETRY_INITIAL_MS = 500;
    private static final long LOAD_RETRY_MAX_MS = 30_000;

    /** What the membership side does when a shard's groups arrive or leave (start or cancel member timers). */
    interface Listener {
        void loaded(CoordinatorShard shard);

        void unloaded(CoordinatorShard shard);
    }

    private final int brokerId;
    private final OffsetsTopic offsetsTopic;
    private final Executor loadPool;
    private final Map<Integer, CoordinatorShard> shards = new ConcurrentHashMap<>();
    private final Map<Integer, SerialExecutor> lanes = new ConcurrentHashMap<>();
    private final Function<Partition, GroupLoader.Loaded> replay;
    private volatile Listener listener;

    public CoordinatorShards(int brokerId, OffsetsTopic offsetsTopic, Executor loadPool) {
        this(brokerId, offsetsTopic, loadPool, GroupLoader::replay);
    }

    /** With the replay to use (a test's, to make a load fail). */
    CoordinatorShards(int brokerId, OffsetsTopic offsetsTopic, Executor loadPool, Function<Partition, GroupLoader.Loaded> replay) {
        this.brokerId = brokerId;
        this.offsetsTopic = offsetsTopic;
        this.loadPool = loadPool;
        this.replay = replay;
    }

    void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void becameLeader(Partition partition, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        if (!OffsetsTopic.isOffsetsTopic(tp.topic())) {
            return;
        }
        CoordinatorShard current = shards.get(tp.partition());
        if (current != null && current.isCurrent() && current.leaderEpoch == leaderEpoch) {
            // The same term resumed (a ZooKeeper connection blip): nothing was lost, the groups stay as they are.
            log.info("Broker {}: still coordinating {}", brokerId, current);
            return;
        }
        CoordinatorShard shard = new CoordinatorShard(tp.partition(), partition, leaderEpoch);
        CoordinatorShard previous = shards.put(tp.partition(), shard);
        if (previous != null) {
            previous.unload();
            lane(tp.partition()).execute(() -> unloadGroups(previous));
        }
        log.info("Broker {}: loading the groups of {} (leader epoch {})", brokerId, tp, leaderEpoch);
        lane(tp.partition()).execute(() -> load(shard, 1));
    }

    @Override
    public void resigned(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!OffsetsTopic.isOffsetsTopic(tp.topic())) {
            return;
        }
        CoordinatorShard shard = shards.remove(tp.partition());
        if (shard != null) {
            shard.unload();
            try {
                lane(tp.partition()).execute(() -> unloadGroups(shard));
            } catch (RejectedExecutionException shuttingDown) {
                unloadGroups(shard); // the pool stopped before the replicas: unload here, it only cancels and answers
            }
        }
    }

    private SerialExecutor lane(int partition) {
        return lanes.computeIfAbsent(partition, p -> new SerialExecutor(loadPool));
    }

    private void load(CoordinatorShard shard, int attempt) {
        if (!shard.isCurrent()) {
            return;
        }
        long started = System.nanoTime();
        GroupLoader.Loaded loaded;
        try {
            loaded = replay.apply(shard.partition);
        } catch (RuntimeException e) {
            // Serving without what could not be read would lose committed offsets: stay loading (clients get
            // COORDINATOR_LOAD_IN_PROGRESS and retry) and try again on this lane while this term lasts.
            long backoffMs = Math.min(LOAD_RETRY_MAX_MS, LOAD_RETRY_INITIAL_MS << Math.min(attempt - 1, 10));
            log.error("Broker {}: could not load the groups of {} (attempt {}); retrying in {} ms", brokerId, shard,
                    attempt, backoffMs, e);
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(() -> {
                try {
                    lane(shard.partitionIndex).execute(() -> load(shard, attempt + 1));
                } catch (RejectedExecutionException shuttingDown) {
                    log.debug("Broker {}: not retrying the load of {}: shutting down", brokerId, shard);
                }
            });
            return;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<String, GroupRecords.GroupValue> entry : loaded.groups().entrySet()) {
            shard.groups.put(entry.getKey(), GroupSnapshots.restore(entry.getKey(), entry.getValue(), now));
        }
        for (Map.Entry<String, Map<TopicPartition, CommittedOffset>> entry : loaded.offsets().entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            ClassicGroup group = shard.groups.computeIfAbsent(entry.getKey(), id -> new ClassicGroup(id, now));
            synchronized (group) {
                group.offsets.putAll(entry.getValue());
            }
        }
        if (!shard.isCurrent()) {
            return;
        }
        Leadership leadership = shard.partition.leadership();
        if (!leadership.leader() || leadership.leaderEpoch() != shard.leaderEpoch) {
            // Backstop: leadership moved on without this shard being told; serving it would be a zombie coordinator.
            log.warn("Broker {}: not activating {}: the partition is {} at leader epoch {}", brokerId, shard,
                    leadership.leader() ? "led" : "no longer led", leadership.leaderEpoch());
            shard.unload();
            shards.remove(shard.partitionIndex, shard);
            unloadGroups(shard);
            return;
        }
        Listener current = listener;
        if (current != null) {
            current.loaded(shard);
        }
        shard.activate();
        log.info("Broker {}: loaded {} group(s) of {} up to offset {} in {} ms", brokerId, shard.groups.size(), shard,
                loaded.endOffset(), (System.nanoTime() - started) / 1_000_000);
    }

    private void unloadGroups(CoordinatorShard shard) {
        Listener current = listener;
        if (current != null) {
            current.unloaded(shard);
        }
        log.info("Broker {}: unloaded {} group(s) of {}", brokerId, shard.groups.size(), shard);
        shard.groups.clear();
    }

    /**
     * The shard coordinating {@code groupId} on this broker, or an ApiError: NOT_COORDINATOR when another broker
     * (or none) leads its offsets partition, COORDINATOR_LOAD_IN_PROGRESS while its groups are loading.
     */
    CoordinatorShard shardFor(String groupId) {
        if (offsetsTopic.topic().isEmpty()) {
            offsetsTopic.ensureCreated();
            throw new ApiError(Errors.NOT_COORDINATOR, OffsetsTopic.NAME + " is being created");
        }
        int partition = offsetsTopic.partitionFor(groupId);
        CoordinatorShard shard = shards.get(partition);
        if ((shard == null || !shard.isCurrent()) && ledHereByMetadata(partition)) {
            // ZooKeeper names this broker already; the replica is about to lead and load: retry here, not elsewhere.
            throw new ApiError(Errors.COORDINATOR_LOAD_IN_PROGRESS, "broker " + brokerId + " is about to load "
                    + OffsetsTopic.NAME + "-" + partition);
        }
        if (shard == null || !shard.isCurrent()) {
            throw new ApiError(Errors.NOT_COORDINATOR, "broker " + brokerId + " does not coordinate group " + groupId
                    + " (" + OffsetsTopic.NAME + "-" + partition + ")");
        }
        if (shard.status() == CoordinatorShard.Status.LOADING) {
            throw new ApiError(Errors.COORDINATOR_LOAD_IN_PROGRESS, "broker " + brokerId + " is loading the groups of "
                    + OffsetsTopic.NAME + "-" + partition);
        }
        return shard;
    }

    private boolean ledHereByMetadata(int partition) {
        return offsetsTopic.partition(partition).map(p -> p.leader() == brokerId).orElse(false);
    }

    /** Whether this broker leads the group's offsets partition and has loaded it (for FindCoordinator's fast path). */
    boolean isLoading(int partition) {
        CoordinatorShard shard = shards.get(partition);
        return shard != null && shard.status() == CoordinatorShard.Status.LOADING;
    }

    /** Every committed offset of the groups this broker coordinates now (loaded shards only), copied. */
    public List<GroupOffset> committedOffsets() {
        List<GroupOffset> out = new ArrayList<>();
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() != CoordinatorShard.Status.ACTIVE) {
                continue;
            }
            shard.groups.forEach((groupId, group) -> {
                synchronized (group) {
                    group.offsets.forEach((tp, committed) -> out.add(new GroupOffset(groupId, tp, committed.offset())));
                }
            });
        }
        return out;
    }

    /** Every shard this broker leads, loaded or not. */
    Collection<CoordinatorShard> all() {
        return List.copyOf(shards.values());
    }
}
