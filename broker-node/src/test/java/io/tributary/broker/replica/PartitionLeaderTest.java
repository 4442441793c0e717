package io.tributary.broker.replica;

import io.tributary.broker.log.AppendResult;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.SerialExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader's side of replication on one real partition log: the high watermark follows the ISR's
 * slowest member, acks=all waits for it, a new leader does not expose its uncommitted tail, losing
 * leadership fails waits at once, and the high watermark survives a restart.
 */
class PartitionLeaderTest {

    private static final int ME = 1;
    private static final short ACKS_ALL = -1;

    @TempDir
    Path dir;
    private final ExecutorService io = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private PartitionLog log;
    private Partition partition;

    @BeforeEach
    void open() throws Exception {
        partition = openPartition(1);
    }

    @AfterEach
    void close() {
        partition.closeLog();
        io.shutdownNow();
        timers.shutdownNow();
    }

    private Partition openPartition(int minInsyncReplicas) throws Exception {
        log = PartitionLog.open(dir.resolve("t-0"), "t", 0, LogConfig.defaults());
        Partition opened = new Partition(ME, new TopicPartition("t", 0), log, new SerialExecutor(io), timers, minInsyncReplicas,
                List.of(1, 2, 3));
        opened.loaded().get(10, TimeUnit.SECONDS);
        return opened;
    }

    private static MemoryRecords records(int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private void lead(int epoch, List<Integer> isr) {
        partition.becomeLeader(epoch, isr);
        await().atMost(Duration.ofSeconds(10)).until(partition::isLeader);
    }

    private static Errors errorOf(CompletableFuture<?> future) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ApiError.class, failure.getCause()).error();
    }

    @Test
    void theHighWatermarkIsTheSlowestIsrMembersLogEndAndAcksAllWaitsForIt() throws Exception {
        lead(1, List.of(1, 2, 3));
        CompletableFuture<AppendResult> write = partition.appendAsLeader(records(10), ACKS_ALL, 30_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> partition.logEndOffset() == 10);
        assertEquals(0, partition.highWatermark(), "no follower has fetched yet");

        partition.recordFollowerFetch(2, 10, System.currentTimeMillis());
        assertEquals(0, partition.highWatermark(), "broker 3 has not fetched: it still counts");
        assertFalse(write.isDone());
        partition.recordFollowerFetch(3, 4, System.currentTimeMillis());
        assertEquals(4, partition.highWatermark());
        assertFalse(write.isDone(), "offsets 4..9 are not on broker 3 yet");

        partition.recordFollowerFetch(3, 10, System.currentTimeMillis());
        assertEquals(10, partition.highWatermark());
        assertEquals(0, write.get(10, TimeUnit.SECONDS).firstOffset());
    }

    @Test
    void aNewLeaderKeepsItsLastKnownHighWatermarkUntilTheIsrCatchesUp() throws Exception {
        // As a follower it copied two batches, 0..5 and 6..9, but learnt only that 0..5 are committed.
        partition.appendAsFollower(followerCopy(0, 6));
        partition.appendAsFollower(followerCopy(6, 4));
        partition.updateFollowerHighWatermark(6);
        lead(2, List.of(1, 2));
        assertEquals(6, partition.highWatermark(), "the uncommitted tail 6..9 stays invisible");
        List<Long> visible = new ArrayList<>();
        partition.readCommitted(0, 1 << 20).records().records().forEach(r -> visible.add(r.offset()));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), visible);

        partition.recordFollowerFetch(2, 10, System.currentTimeMillis());
        assertEquals(10, partition.highWatermark());
    }

    private static MemoryRecords followerCopy(long baseOffset, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("copied-" + (baseOffset + i)).getBytes(StandardCharsets.UTF_8));
        }
        MemoryRecords copy = MemoryRecords.withRecords(baseOffset, Compression.NONE, records);
        copy.batches().forEach(batch -> batch.setPartitionLeaderEpoch(1));
        return copy;
    }

    @Test
    void losingLeadershipFailsWaitingWritesAtOnceEvenWithTheWriterBusy() throws Exception {
        lead(1, List.of(1, 2));
        CompletableFuture<AppendResult> waiting = partition.appendAsLeader(records(1), ACKS_ALL, 30_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> partition.logEndOffset() == 1);
        CountDownLatch release = new CountDownLatch(1);
        partition.onWriter(() -> {
            try {
                release.await(); // the writer is stuck behind a slow write
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });

        partition.resignLeadership("a newer leader", 2);
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, errorOf(waiting));
        assertFalse(partition.isLeader());
        release.countDown();
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, errorOf(partition.appendAsLeader(records(1), (short) 1, 30_000)));
    }

    @Test
    void anAcksAllAppendThatTimesOutWaitingForTheIsrStillReportsItsLocalWrite() throws Exception {
        lead(2, List.of(1, 2)); // broker 2 never fetches, so the high watermark never passes the batch
        CompletableFuture<AppendResult> written = new CompletableFuture<>();
        CompletableFuture<AppendResult> waiting = partition.appendAsLeader(records(3), ACKS_ALL, 200, written::complete);
        assertEquals(Errors.REQUEST_TIMED_OUT, errorOf(waiting));
        AppendResult local = written.get(10, TimeUnit.SECONDS);
        assertEquals(0, local.firstOffset());
        assertEquals(2, local.lastOffset());
        assertEquals(3, partition.logEndOffset(), "the records stay in the leader's log (and count as messages in)");
    }

    @Test
    void acksAllIsRefusedBelowMinInsyncReplicasAndFailsWhenTheIsrShrinksBelowItMeanwhile() throws Exception {
        partition.closeLog();
        partition = openPartition(2);
        lead(1, List.of(1));
        assertEquals(Errors.NOT_ENOUGH_REPLICAS, errorOf(partition.appendAsLeader(records(1), ACKS_ALL, 30_000)));
        assertEquals(0, partition.logEndOffset(), "nothing was written");
        assertEquals(0, partition.appendAsLeader(records(1), (short) 1, 30_000).get(10, TimeUnit.SECONDS).firstOffset(),
                "acks=1 goes on");

        partition.closeLog();
        partition = openPartition(2);
        lead(2, List.of(1, 2));
        CompletableFuture<List<Integer>> written = new CompletableFuture<>();
        partition.setIsrWriter(isr -> {
            written.complete(isr);
            return CompletableFuture.completedFuture(true);
        });
        CompletableFuture<AppendResult> waiting = partition.appendAsLeader(records(1), ACKS_ALL, 30_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> partition.logEndOffset() == 2);
        partition.maybeShrinkIsr(System.currentTimeMillis(), 30_000, id -> id != 2); // broker 2 unregistered
        assertEquals(List.of(1), written.get(10, TimeUnit.SECONDS));
        assertEquals(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, errorOf(waiting));
    }

    @Test
    void aFollowerLaggingLongerThanTheLagTimeLeavesTheIsrAndACaughtUpOneJoins() throws Exception {
        lead(1, List.of(1, 2));
        CompletableFuture<List<Integer>> shrunk = new CompletableFuture<>();
        partition.setIsrWriter(isr -> {
            shrunk.complete(isr);
            return CompletableFuture.completedFuture(true);
        });
        long now = System.currentTimeMillis();
        partition.maybeShrinkIsr(now, 30_000, id -> true);
        assertFalse(shrunk.isDone(), "a follower gets a full lag period after the election");
        partition.maybeShrinkIsr(now + 30_001, 30_000, id -> true);
        assertEquals(List.of(1), shrunk.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1), partition.leadership().isr());

        CompletableFuture<List<Integer>> expanded = new CompletableFuture<>();
        partition.setIsrWriter(isr -> {
            expanded.complete(isr);
            return CompletableFuture.completedFuture(true);
        });
        partition.recordFollowerFetch(3, 0, System.currentTimeMillis());
        assertEquals(List.of(1, 3), expanded.get(10, TimeUnit.SECONDS));
        assertTrue(partition.leadership().isr().contains(3));
    }

    @Test
    void theHighWatermarkIsCheckpointedAndReadBackAfterARestart() throws Exception {
        lead(1, List.of(1));
        partition.appendAsLeader(records(7), ACKS_ALL, 30_000).get(10, TimeUnit.SECONDS);
        assertEquals(7, partition.highWatermark());
        partition.closeLog();
        partition = openPartition(1);
        assertEquals(7, partition.highWatermark(), "known committed before anything is fetched or elected");
    }

    @Test
    void roleListenersHearALeadershipAndAnImmediateResignationInThatOrder() throws Exception {
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        partition.setRoleListener(new PartitionRoleListener() {
            @Override
            public void becameLeader(Partition p, int leaderEpoch) {
                heard.add("leader " + leaderEpoch);
            }

            @Override
            public void resigned(Partition p) {
                heard.add("resigned");
            }
        });
        // Resign from inside becomeLeader's own wake-up of waiting readers, the earliest moment leadership is visible.
        java.util.concurrent.atomic.AtomicBoolean resignedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        partition.addDataListener(() -> {
            if (partition.isLeader() && resignedOnce.compareAndSet(false, true)) {
                partition.resignLeadership("a newer leader right away", 4);
            }
        });
        partition.becomeLeader(3, List.of(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
        assertEquals(List.of("leader 3", "resigned"), heard, "the last notice is the current role");
        assertFalse(partition.isLeader());
    }
}
