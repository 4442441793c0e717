package io.tributary.broker.replica;

import io.tributary.coordinator.leadership.PartitionLeaderElector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every partition this broker leads to a caught-up ISR follower before the broker leaves (SIGTERM),
 * so clients see at most one retry (docs/architecture.md, "Controlled shutdown"): stop accepting writes,
 * wait (bounded) until a follower has fetched the whole log, then name it leader at epoch + 1 by CAS and
 * leave the ISR. A partition with no caught-up follower in time is simply given up when its election closes.
 */
public final class ControlledShutdown {

    private static final Logger log = LoggerFactory.getLogger(ControlledShutdown.class);
    private static final long POLL_MS = 2;

    private final int brokerId;
    private final ReplicaManager replicas;
    private final ExecutorService zkPool;

    public ControlledShutdown(int brokerId, ReplicaManager replicas, ExecutorService zkPool) {
        this.brokerId = brokerId;
        this.replicas = replicas;
        this.zkPool = zkPool;
    }

    /** Blocks for at most {@code timeoutMs}; returns how many partitions were handed over. */
    public int run(long timeoutMs) {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Map.Entry<Partition, PartitionLeaderElector>> pending = new ArrayList<>(replicas.ledPartitions());
        int total = pending.size();
        pending.forEach(led -> led.getKey().stopWrites());
        // Appends already queued on a writer finish (or are refused) before the log end offset is compared.
        pending.forEach(led -> led.getKey().onWriter(() -> null).join());
        List<CompletableFuture<Boolean>> handOvers = new ArrayList<>();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            pending.removeIf(led -> {
                Partition partition = led.getKey();
                if (!partition.isLeader()) {
                    return true;
                }
                Optional<Integer> successor = partition.caughtUpFollower();
                if (successor.isEmpty()) {
                    return false;
                }
                handOvers.add(CompletableFuture.supplyAsync(() -> handOver(partition, led.getValue(), successor.get()), zkPool));
                return true;
            });
            if (!pending.isEmpty()) {
                sleep();
            }
        }
        int handedOver = 0;
        for (CompletableFuture<Boolean> handOver : handOvers) {
            try {
                handedOver += handOver.get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5),
                        TimeUnit.NANOSECONDS) ? 1 : 0;
            } catch (Exception e) {
                log.warn("Broker {}: a leadership hand-over did not complete: {}", brokerId, e.toString());
            }
        }
        log.info("Broker {}: controlled shutdown handed over {} of {} led partition(s) in {} ms; {} had no caught-up follower",
                brokerId, handedOver, total, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), pending.size());
        return handedOver;
    }

    private boolean handOver(Partition partition, PartitionLeaderElector elector, int successor) {
        try {
            return elector.handOver(successor, true);
        } catch (RuntimeException e) {
            log.warn("Broker {}: could not hand {} over to broker {}", brokerId, partition.topicPartition(), successor, e);
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
