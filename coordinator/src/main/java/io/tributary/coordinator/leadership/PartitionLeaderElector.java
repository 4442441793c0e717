package io.tributary.coordinator.leadership;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.SerialExecutor;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PartitionState;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Elects the leader of one partition, following REPLICATION.md "Becoming leader" steps 1-4:
 * <ol>
 *   <li>join the latch {@code /elections/<t>/<p>} (id = broker id) only while in the ISR of the state znode;</li>
 *   <li>on winning the latch, read the state; if no longer in the ISR, leave the latch;</li>
 *   <li>CAS the state to {leader: me, leader_epoch: e+1, isr unchanged}; on a lost CAS re-read and retry;</li>
 *   <li>on losing the latch, a SUSPENDED/LOST connection, a state naming someone else, or a lost
 *       ISR CAS, report {@link Listener#lostLeadership} at once.</li>
 * </ol>
 * Safety rests on the CAS and the epoch, not on the latch: the latch only decides who tries first.
 *
 * <p>Threads: the election runs on a private ordered lane over a shared pool of daemon threads
 * (it blocks on ZooKeeper there). Listener callbacks run on the {@code callbacks} executor, which
 * must run them in order (a single thread, or a Vert.x context's {@code runOnContext}).
 */
public final class PartitionLeaderElector implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeaderElector.class);

    /** Blocking ZooKeeper calls of all electors run here, each elector on its own serial lane. */
    private static final ExecutorService SHARED_THREADS = Executors.newCachedThreadPool(NamedThreads.factory("partition-elector"));

    public enum State {
        /** Not started. */
        LATENT,
        /** Not in the ISR (or no state znode): not in the latch, watching the state znode. */
        WAITING_FOR_ISR,
        /** In the latch, not leader. */
        CANDIDATE,
        /** Won the latch and the state CAS: the state znode names this broker at {@link #leaderEpoch()}. */
        LEADER,
        CLOSED
    }

    public interface Listener {
        /**
         * This broker leads the partition from now on, at {@code leaderEpoch}; {@code zkVersion} is the
         * state znode's version after the write, for later ISR CAS writes.
         */
        void becameLeader(int leaderEpoch, PartitionState state, int zkVersion);

        /** Stop acting as leader at once (stop accepting produces and completing acks=all waits). */
        void lostLeadership(String reason);
    }

    private final CuratorFramework zk;
    private final int brokerId;
    private final String topic;
    private final int partition;
    private final String statePath;
    private final Listener listener;
    private final Executor callbacks;
    private final SerialExecutor lane = new SerialExecutor(SHARED_THREADS);
    private final CuratorCache stateCache;
    private final ConnectionStateListener connectionListener = this::connectionChanged;

    // Written on the lane only; volatile so state() and the getters can read them from any thread.
    private volatile State state = State.LATENT;
    private volatile int leaderEpoch = -1;
    private volatile int zkVersion = -1;
    private LeaderLatch latch;

    public PartitionLeaderElector(CuratorFramework zk, int brokerId, String topic, int partition,
                                  Listener listener, Executor callbacks) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.brokerId = brokerId;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.statePath = ZkPaths.partitionState(topic, partition);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.stateCache = CuratorCache.build(zk, statePath, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    /** Starts watching the state znode; joins the latch once this broker is in the ISR. Returns without waiting for ZooKeeper. */
    public void start() {
        runOnLane(() -> {
            if (state != State.LATENT) {
                throw new IllegalStateException(describe() + ": cannot start in state " + state);
            }
            state = State.WAITING_FOR_ISR;
            zk.getConnectionStateListenable().addListener(connectionListener, lane);
            stateCache.listenable().addListener(CuratorCacheListener.builder()
                    .forAll((type, oldNode, node) -> stateChanged())
                    .forInitialized(this::stateChanged)
                    .build(), lane);
            stateCache.start();
            return null;
        });
    }

    public State state() {
        return state;
    }

    /** The epoch this broker leads at, or -1 when not leader. */
    public int leaderEpoch() {
        return state == State.LEADER ? leaderEpoch : -1;
    }

    /** The state znode version after this leader's last write, or -1 when not leader. */
    public int leaderZkVersion() {
        return state == State.LEADER ? zkVersion : -1;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    /**
     * The leader changes the ISR (REPLICATION.md "Changing the ISR"): a CAS with its own epoch
     * unchanged. Blocks. A lost CAS means another writer (a newer leader) changed the state: this
     * broker has lost leadership, {@link Listener#lostLeadership} is called and false returned.
     *
     * @param newIsr must contain this broker: the ISR never shrinks below the leader itself
     * @return true if written; false if not leader (any more)
     */
    public boolean updateIsr(List<Integer> newIsr) {
        if (!newIsr.contains(brokerId)) {
            throw new IllegalArgumentException(describe() + ": the ISR must keep the leader " + brokerId + ", got: " + newIsr);
        }
        return runOnLane(() -> {
            if (state != State.LEADER) {
                return false;
            }
            PartitionState next = new PartitionState(brokerId, leaderEpoch, newIsr);
            try {
                Stat stat = zk.setData().withVersion(zkVersion).forPath(statePath, ZkJson.toBytes(next));
                zkVersion = stat.getVersion();
                LOG.info("topic {} partition {}: leader {} changed the ISR to {} at epoch {}", topic, partition, brokerId, newIsr, leaderEpoch);
                return true;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
                loseLeadership("lost the CAS on " + statePath + " at version " + zkVersion + " while changing the ISR");
                rejoinIfInIsr();
                return false;
            } catch (Exception e) {
                throw new ZkOperationException(describe() + ": cannot write the ISR " + newIsr, e);
            }
        });
    }

    /** Leaves the latch (the next ISR member takes over) and stops watching. Blocks. */
    @Override
    public void close() {
        runOnLane(() -> {
            if (state == State.CLOSED) {
                return null;
            }
            if (state == State.LEADER) {
                notifyLost("elector closed");
            }
            leaveLatch();
            state = State.CLOSED;
            zk.getConnectionStateListenable().removeListener(connectionListener);
            stateCache.close();
            LOG.info("topic {} partition {}: broker {} left the election", topic, partition, brokerId);
            return null;
        });
    }

    // ---- everything below runs on the lane ----

    private void stateChanged() {
        if (state == State.CLOSED || state == State.LATENT) {
            return;
        }
        Optional<ChildData> node = stateCache.get(statePath);
        PartitionState current = node.map(this::parse).orElse(null);
        if (current == null || !current.inIsr(brokerId)) {
            if (latch != null || state == State.LEADER) {
                String reason = current == null ? "state znode " + statePath + " is gone"
                        : "broker " + brokerId + " is not in the ISR " + current.isr();
                if (state == State.LEADER) {
                    loseLeadership(reason);
                }
                leaveLatch();
                LOG.info("topic {} partition {}: broker {} leaves the election: {}", topic, partition, brokerId, reason);
            }
            state = State.WAITING_FOR_ISR;
            return;
        }
        if (latch == null) {
            joinLatch();
            return;
        }
        if (state == State.CANDIDATE && latch.hasLeadership()) {
            tryToLead(); // an earlier attempt may have stopped on a connection error
            return;
        }
        if (state == State.LEADER) {
            int version = node.get().getStat().getVersion();
            if (version < zkVersion) {
                return; // an event from before our own write, still in the queue
            }
            if (current.leader() != brokerId || current.leaderEpoch() != leaderEpoch) {
                loseLeadership("the state znode names leader " + current.leader() + " at epoch " + current.leaderEpoch());
                // Rejoin at the back of the latch: another broker has taken over.
                leaveLatch();
                joinLatch();
            } else {
                zkVersion = version;
            }
        }
    }

    private void joinLatch() {
        latch = new LeaderLatch(zk, ZkPaths.election(topic, partition), String.valueOf(brokerId));
        LeaderLatch mine = latch;
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (mine == latch) {
                    tryToLead();
                }
            }

            @Override
            public void notLeader() {
                if (mine == latch && state == State.LEADER) {
                    loseLeadership("lost the election latch");
                }
            }
        }, lane);
        try {
            latch.start();
        } catch (Exception e) {
            latch = null;
            state = State.WAITING_FOR_ISR;
            LOG.error("topic {} partition {}: broker {} cannot join the election", topic, partition, brokerId, e);
            return;
        }
        state = State.CANDIDATE;
        LOG.info("topic {} partition {}: broker {} joined the election (in the ISR)", topic, partition, brokerId);
    }

    private void leaveLatch() {
        if (latch == null) {
            return;
        }
        LeaderLatch leaving = latch;
        latch = null;
        try {
            leaving.close(LeaderLatch.CloseMode.SILENT);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("topic {} partition {}: broker {} could not leave the latch cleanly; it goes with the session",
                    topic, partition, brokerId, e);
        }
    }

    /** Steps 2 and 3: re-read, check the ISR, CAS {leader: me, epoch + 1}; retry on a lost CAS. */
    private void tryToLead() {
        while (state == State.CANDIDATE && latch != null && latch.hasLeadership()) {
            Stat stat = new Stat();
            PartitionState current;
            try {
                current = ZkJson.fromBytes(zk.getData().storingStatIn(stat).forPath(statePath), PartitionState.class);
            } catch (KeeperException.NoNodeException gone) {
                current = null;
            } catch (Exception e) {
                // Connection trouble: the latch reports SUSPENDED/notLeader and, on reconnect, isLeader again.
                LOG.warn("topic {} partition {}: broker {} cannot read {} after winning the latch", topic, partition, brokerId, statePath, e);
                return;
            }
            if (current == null || !current.inIsr(brokerId)) {
                LOG.info("topic {} partition {}: broker {} won the latch but is not in the ISR {}; leaving it",
                        topic, partition, brokerId, current == null ? "(no state)" : current.isr());
                leaveLatch();
                state = State.WAITING_FOR_ISR;
                return;
            }
            PartitionState next = current.withLeader(brokerId);
            try {
                Stat written = zk.setData().withVersion(stat.getVersion()).forPath(statePath, ZkJson.toBytes(next));
                leaderEpoch = next.leaderEpoch();
                zkVersion = written.getVersion();
                state = State.LEADER;
                LOG.info("topic {} partition {}: broker {} is leader at epoch {} with ISR {}", topic, partition, brokerId,
                        next.leaderEpoch(), next.isr());
                int epoch = leaderEpoch;
                int version = zkVersion;
                callbacks.execute(() -> listener.becameLeader(epoch, next, version));
                return;
            } catch (KeeperException.BadVersionException lost) {
                LOG.info("topic {} partition {}: broker {} lost the state CAS at version {}; re-reading", topic, partition, brokerId,
                        stat.getVersion());
            } catch (KeeperException.NoNodeException gone) {
                // The next loop iteration sees the state gone.
            } catch (Exception e) {
                LOG.warn("topic {} partition {}: broker {} cannot write {}", topic, partition, brokerId, statePath, e);
                return;
            }
        }
    }

    private void connectionChanged(CuratorFramework client, ConnectionState newState) {
        if (newState == ConnectionState.SUSPENDED || newState == ConnectionState.LOST) {
            if (state == State.LEADER) {
                loseLeadership("ZooKeeper connection " + newState);
            }
        } else if (newState == ConnectionState.RECONNECTED && state == State.CANDIDATE && latch != null && latch.hasLeadership()) {
            // The latch kept its node through the outage: claim again with a new epoch.
            tryToLead();
        }
    }

    private void loseLeadership(String reason) {
        if (state != State.LEADER) {
            return;
        }
        state = State.CANDIDATE;
        notifyLost(reason);
    }

    private void notifyLost(String reason) {
        LOG.info("topic {} partition {}: broker {} is no longer leader (epoch {}): {}", topic, partition, brokerId, leaderEpoch, reason);
        callbacks.execute(() -> listener.lostLeadership(reason));
    }

    private void rejoinIfInIsr() {
        leaveLatch();
        stateChanged();
    }

    private PartitionState parse(ChildData node) {
        try {
            return ZkJson.fromBytes(node.getData(), PartitionState.class);
        } catch (ZkDataException e) {
            LOG.error("topic {} partition {}: unreadable state znode: {}", topic, partition, e.getMessage());
            return null;
        }
    }

    private String describe() {
        return "topic '" + topic + "' partition " + partition + " on broker " + brokerId;
    }

    /** Runs on the lane and waits, or inline when already on it (a callback that calls back in). */
    private <T> T runOnLane(Supplier<T> task) {
        if (lane.inCurrentThread()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        lane.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            throw new ZkOperationException(describe() + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ZkOperationException(describe() + ": failed", e.getCause());
        }
    }
}
