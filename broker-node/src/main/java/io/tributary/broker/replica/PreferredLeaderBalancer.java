package io.tributary.broker.replica;

import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PreferredLeaderElection;
import java.io.Closeable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves leadership back to preferred replicas (the first of each partition's replica list), so leaders stay
 * spread over the brokers after failures (docs/architecture.md, "Preferred leaders"). Two triggers:
 * <ul>
 *   <li>Kafka's imbalance check ({@code auto.leader.rebalance.enable}): every
 *       {@code leader.imbalance.check.interval.seconds}, for each broker, the share of the partitions it prefers
 *       that others lead; above {@code leader.imbalance.per.broker.percentage}, the leaders of those partitions
 *       hand them back.</li>
 *   <li>ElectLeaders requests, written as znodes under {@code /admin/preferred_leader_elections}: each broker moves
 *       the listed partitions it leads.</li>
 * </ul>
 * Every broker acts only on partitions it leads, by the planned-move path ({@link LeadershipHandOver}), so
 * there is no central actor. Moves run one batch at a time on a dedicated thread.
 */
public final class PreferredLeaderBalancer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PreferredLeaderBalancer.class);
    private static final long MOVE_TIMEOUT_MS = 5_000;

    private final int brokerId;
    private final ReplicaManager replicas;
    private final TopicMetadataCache metadata;
    private final LeadershipHandOver handOver;
    private final ExecutorService mover;
    private final int imbalancePercentage;
    private final CuratorCache requests;

    public PreferredLeaderBalancer(int brokerId, CuratorFramework zk, ReplicaManager replicas, TopicMetadataCache metadata,
                                   LeadershipHandOver handOver, ExecutorService mover, int imbalancePercentage) {
        this.brokerId = brokerId;
        this.replicas = replicas;
        this.metadata = metadata;
        this.handOver = handOver;
        this.mover = mover;
        this.imbalancePercentage = imbalancePercentage;
        this.requests = CuratorCache.build(zk, ZkPaths.preferredLeaderElections());
    }

    /** Starts following ElectLeaders requests. */
    public void start() {
        requests.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(this::requested)
                .build(), mover);
        requests.start();
    }

    /** The periodic imbalance check; moves run on the mover thread. */
    public void checkImbalance() {
        mover.execute(() -> {
            Set<Integer> imbalanced = imbalancedBrokers(metadata.topics().values());
            if (imbalanced.isEmpty()) {
                return;
            }
            List<LeadershipHandOver.Move> moves = replicas.preferredMoves(p -> imbalanced.contains(p.replicas().get(0)));
            if (!moves.isEmpty()) {
                handOver.run(moves, MOVE_TIMEOUT_MS, false, "preferred-leader rebalance for broker(s) " + imbalanced);
            }
        });
    }

    /** Brokers for which more than the allowed share of the partitions they prefer is led by others. */
    Set<Integer> imbalancedBrokers(Iterable<TopicMetadata> topics) {
        Map<Integer, Integer> preferred = new HashMap<>();
        Map<Integer, Integer> ledElsewhere = new HashMap<>();
        for (TopicMetadata topic : topics) {
            for (PartitionMetadata partition : topic.partitions().values()) {
                if (partition.replicas().isEmpty()) {
                    continue;
                }
                int first = partition.replicas().get(0);
                preferred.merge(first, 1, Integer::sum);
                if (partition.leader() != first) {
                    ledElsewhere.merge(first, 1, Integer::sum);
                }
            }
        }
        Set<Integer> imbalanced = new HashSet<>();
        ledElsewhere.forEach((broker, count) -> {
            if (count * 100L > (long) imbalancePercentage * preferred.get(broker)) {
                imbalanced.add(broker);
            }
        });
        return imbalanced;
    }

    private void requested(ChildData node) {
        if (node.getData() == null || node.getData().length == 0 || node.getPath().equals(ZkPaths.preferredLeaderElections())) {
            return;
        }
        PreferredLeaderElection request;
        try {
            request = ZkJson.fromBytes(node.getData(), PreferredLeaderElection.class);
        } catch (ZkDataException e) {
            log.warn("Broker {}: ignoring unreadable preferred-leader election request {}: {}", brokerId, node.getPath(), e.getMessage());
            return;
        }
        Set<TopicPartition> wanted = new HashSet<>();
        request.partitions().forEach(p -> wanted.add(new TopicPartition(p.topic(), p.partition())));
        List<LeadershipHandOver.Move> moves = replicas.preferredMoves(p -> wanted.contains(p.topicPartition()));
        if (!moves.isEmpty()) {
            handOver.run(moves, MOVE_TIMEOUT_MS, false, "preferred-leader election request " + node.getPath());
        }
    }

    @Override
    public void close() {
        requests.close();
        mover.shutdownNow();
    }
}
