package io.tributary.coordinator.liveness;

import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.BrokerRegistration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Removes a dead broker from ZooKeeper as its session expiry would, without waiting for it: its registration
 * {@code /brokers/ids/<id>}, then its participant nodes in the latches of the partitions it holds a replica of
 * and in the controller latch. ZooKeeper lets any session delete another session's ephemeral nodes. The next
 * latch participants become guardians and claim leadership by the usual CAS with a new epoch.
 *
 * <p>Safety never rests on this: a live broker fenced by mistake sees its registration gone, stops leading,
 * registers again and rejoins its latches as a follower (docs/architecture.md, "Fast failure detection").
 */
public final class BrokerFencer {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerFencer.class);
    private static final long LATCH_CLEANUP_TIMEOUT_MS = 10_000;

    private final CuratorFramework zk;
    private final TopicMetadataCache topics;
    private final int observerId;

    public BrokerFencer(CuratorFramework zk, TopicMetadataCache topics, int observerId) {
        this.zk = zk;
        this.topics = topics;
        this.observerId = observerId;
    }

    /**
     * Fences {@code dead} if ZooKeeper still holds exactly that registration (not a newer process of the same
     * id). Blocks. Returns whether this call removed the registration; only that caller removes the latch nodes,
     * so concurrent fencers do the work once.
     */
    public boolean fence(BrokerRegistration dead) {
        long started = System.nanoTime();
        String path = ZkPaths.broker(dead.brokerId());
        try {
            Stat stat = new Stat();
            BrokerRegistration current = ZkJson.fromBytes(zk.getData().storingStatIn(stat).forPath(path), BrokerRegistration.class);
            if (!current.equals(dead)) {
                LOG.info("broker {}: not fencing broker {}: it registered again (started at {})", observerId,
                        dead.brokerId(), current.startTimeMs());
                return false;
            }
            zk.delete().withVersion(stat.getVersion()).forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            return false; // already fenced by a peer, expired, or re-registered
        } catch (Exception e) {
            throw new IllegalStateException("broker " + observerId + " cannot fence broker " + dead.brokerId(), e);
        }
        List<String> latches = new ArrayList<>();
        latches.add(ZkPaths.controller());
        for (TopicMetadata topic : topics.topics().values()) {
            for (PartitionMetadata partition : topic.partitions().values()) {
                if (partition.replicas().contains(dead.brokerId())) {
                    latches.add(ZkPaths.election(topic.name(), partition.partition()));
                }
            }
        }
        int removed = removeLatchParticipants(latches, dead.brokerId());
        LOG.warn("broker {}: fenced broker {} at {} (process gone, listener refuses connections): removed its registration and "
                        + "{} latch node(s) of {} latch(es) in {} ms", observerId, dead.brokerId(), dead.address(), removed,
                latches.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return true;
    }

    /** Deletes, in parallel, every child of the given latch paths whose data is the broker id. */
    private int removeLatchParticipants(List<String> latchPaths, int deadId) {
        byte[] id = String.valueOf(deadId).getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (String latch : latchPaths) {
            all.add(children(latch).thenCompose(children -> {
                List<CompletableFuture<Integer>> perChild = new ArrayList<>();
                for (String child : children) {
                    String node = latch + "/" + child;
                    perChild.add(data(node).thenCompose(data -> Arrays.equals(data, id)
                            ? delete(node) : CompletableFuture.completedFuture(0)));
                }
                return CompletableFuture.allOf(perChild.toArray(CompletableFuture[]::new))
                        .thenApply(done -> perChild.stream().mapToInt(CompletableFuture::join).sum());
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(LATCH_CLEANUP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("broker {}: removing the latch nodes of broker {} did not finish: {}", observerId, deadId, e.toString());
        }
        return all.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).mapToInt(CompletableFuture::join).sum();
    }

    private CompletableFuture<List<String>> children(String path) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        try {
            zk.getChildren().inBackground((client, event) -> result.complete(ok(event) ? event.getChildren() : List.of()))
                    .forPath(path);
        } catch (Exception e) {
            result.complete(List.of());
        }
        return result;
    }

    private CompletableFuture<byte[]> data(String path) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        try {
            zk.getData().inBackground((client, event) -> result.complete(ok(event) ? event.getData() : new byte[0]))
                    .forPath(path);
        } catch (Exception e) {
            result.complete(new byte[0]);
        }
        return result;
    }

    private CompletableFuture<Integer> delete(String path) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            zk.delete().inBackground((client, event) -> result.complete(ok(event) ? 1 : 0)).forPath(path);
        } catch (Exception e) {
            result.complete(0);
        }
        return result;
    }

    private static boolean ok(CuratorEvent event) {
        return event.getResultCode() == KeeperException.Code.OK.intValue();
    }
}
