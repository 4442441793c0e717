package io.tributary.broker.replica;

import io.tributary.coordinator.leadership.PartitionLeaderElector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planned moves of leadership (docs/architecture.md, "Planned moves"): controlled shutdown and preferred-leader
 * election. For each partition: stop accepting writes (clients get NOT_LEADER_OR_FOLLOWER and retry), wait,
 * bounded, until an eligible ISR follower has fetched the whole log, then name it leader at epoch + 1 by CAS.
 * Clients see at most one retry and nothing acknowledged is lost, since the successor holds every record.
 * Partitions are watched together in one polling loop, so a thousand moves cost one thread, not a thousand.
 */
public final class LeadershipHandOver {

    private static final Logger log = LoggerFactory.getLogger(LeadershipHandOver.class);
    private static final long POLL_MS = 2;

    /** One partition to move: to a caught-up ISR follower accepted by {@code successors}. */
    public record Move(Partition partition, PartitionLeaderElector elector, IntPredicate successors) {}

    private final int brokerId;
    private final ExecutorService zkPool;

    public LeadershipHandOver(int brokerId, ExecutorService zkPool) {
        this.brokerId = brokerId;
        this.zkPool = zkPool;
    }

    /**
     * Moves what it can within {@code timeoutMs}; blocks. With {@code leaveIsr} (shutdown) this broker also
     * leaves the ISR and partitions it could not hand over stay closed for writes; otherwise they resume.
     *
     * @return how many partitions were handed over
     */
    public int run(List<Move> moves, long timeoutMs, boolean leaveIsr, String why) {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Move> pending = new ArrayList<>(moves);
        // A partition with no other replica that may succeed (replication factor 1) has nobody to wait for.
        List<Move> withoutSuccessor = pending.stream().filter(move -> move.partition().replicas().stream()
                .noneMatch(id -> id != brokerId && move.successors().test(id))).toList();
        pending.removeAll(withoutSuccessor);
        pending.forEach(move -> move.partition().stopWrites());
        // Appends already queued on a writer finish (or are refused) before the log end offset is compared.
        pending.forEach(move -> move.partition().onWriter(() -> null).join());
        List<CompletableFuture<Boolean>> handOvers = new ArrayList<>();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            pending.removeIf(move -> {
                if (!move.partition().isLeader()) {
                    return true;
                }
                Optional<Integer> successor = move.partition().caughtUpFollower(move.successors());
                if (successor.isEmpty()) {
                    return false;
                }
                handOvers.add(CompletableFuture.supplyAsync(() -> handOver(move, successor.get(), leaveIsr), zkPool));
                return true;
            });
            if (!pending.isEmpty()) {
                sleep();
            }
        }
        int handedOver = 0;
        for (CompletableFuture<Boolean> handOver : handOvers) {
            try {
                handedOver += handOver.get(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5),
                        TimeUnit.NANOSECONDS) ? 1 : 0;
            } catch (Exception e) {
                log.warn("Broker {}: a leadership hand-over ({}) did not complete: {}", brokerId, why, e.toString());
            }
        }
        if (!leaveIsr) {
            pending.forEach(move -> move.partition().resumeWrites());
        }
        if (!moves.isEmpty()) {
            log.info("Broker {}: {}: handed over {} of {} partition(s) in {} ms; {} had no caught-up successor in time",
                    brokerId, why, handedOver, moves.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    pending.size() + withoutSuccessor.size());
        }
        return handedOver;
    }

    private boolean handOver(Move move, int successor, boolean leaveIsr) {
        try {
            boolean done = move.elector().handOver(successor, leaveIsr);
            if (!done && !leaveIsr) {
                move.partition().resumeWrites();
            }
            return done;
        } catch (RuntimeException e) {
            log.warn("Broker {}: could not hand {} over to broker {}", brokerId, move.partition().topicPartition(), successor, e);
            if (!leaveIsr) {
                move.partition().resumeWrites();
            }
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
