package io.tributary.coordinator.leadership;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.SerialExecutor;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.BrokerRegistration;
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
import java.util.ArrayList;
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
 * Elects and hands over the leader of one partition (docs/architecture.md, "Election"). The state
 * znode {@code {leader, leader_epoch, isr}} decides who leads; every write to it is a CAS on its version.
 * The Curator latch {@code /elections/<t>/<p>}, joined only by ISR members, decides who acts when the
 * named leader is gone: its holder is the partition's <em>guardian</em>.
 * <ul>
 *   <li>The guardian claims the partition, {@code {leader: me, epoch + 1, isr minus unregistered brokers}},
 *       when the state names no leader or a broker that is not registered. It never fights a state that
 *       names a live broker: that is how planned moves ({@link #handOver}) hand leadership to a broker that
 *       does not hold the latch.</li>
 *   <li>A state naming this broker is accepted as it is when it was written by a hand-over observed while
 *       running; one found at start (or after this broker was fenced) is from an earlier incarnation and is
 *       claimed afresh with a new epoch, so two processes never write under one epoch.</li>
 *   <li>Leadership is lost at once on a state naming someone else, a lost CAS, or a SUSPENDED/LOST
 *       connection. A connection blip after which the state still names this broker at the same epoch and
 *       version resumes leadership without a new epoch.</li>
 * </ul>
 * Safety rests on the CAS and the epoch, never on the latch alone (after a reconnect two participants can
 * briefly both believe they hold it).
 *
 * <p>Threads: everything runs on a private ordered lane over a shared pool of daemon threads (it blocks
 * on ZooKeeper there). Listener callbacks run on the {@code callbacks} executor, which must run them in
 * order; pass a direct executor to have {@link Listener#lostLeadership} act without queueing.
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
        /** In the ISR and the latch, not leader. */
        CANDIDATE,
        /** The state znode names this broker at {@link #leaderEpoch()} and this elector accepted it. */
        LEADER,
        CLOSED
    }

    public interface Listener {
        /**
         * This broker leads the partition from now on, at {@code leaderEpoch}; {@code zkVersion} is the
         * state znode's version, for later ISR CAS writes.
         */
        void becameLeader(int leaderEpoch, PartitionState state, int zkVersion);

        /** Stop acting as leader at once (stop accepting produces and completing acks=all waits). */
        void lostLeadership(String reason);

        /** Every state this elector sees, in order, whatever this broker's role (followers fetch from its leader). */
        default void stateChanged(PartitionState state) {
        }
    }

    private final CuratorFramework zk;
    private final int brokerId;
    private final String topic;
    private final int partition;
    private final String statePath;
    private final BrokerRegistry brokers;
    private final Listener listener;
    private final Executor callbacks;
    private final SerialExecutor lane = new SerialExecutor(SHARED_THREADS);
    private final CuratorCache stateCache;
    private final ConnectionStateListener connectionListener = this::connectionChanged;
    private final BrokerRegistry.Listener membershipListener = new BrokerRegistry.Listener() {
        @Override
        public void brokerJoined(BrokerRegistration broker) {
            lane.execute(PartitionLeaderElector.this::evaluate);
        }

        @Override
        public void brokerLeft(int brokerId) {
            lane.execute(PartitionLeaderElector.this::evaluate);
        }
    };

    // Written on the lane only; volatile so state() and the getters can read them from any thread.
    private volatile State state = State.LATENT;
    private volatile int leaderEpoch = -1;
    private volatile int zkVersion = -1;
    private LeaderLatch latch;
    /** The last state seen since start or rejoin, to tell a hand-over to this broker from an inherited state. */
    private PartitionState lastSeen;
    private int lastNotifiedVersion = -1;
    /** Set while leadership is paused by a SUSPENDED connection: the epoch and version to resume at. */
    private int suspendedEpoch = -1;
    private int suspendedVersion = -1;
    private boolean connected = true;

    public PartitionLeaderElector(CuratorFramework zk, int brokerId, String topic, int partition, BrokerRegistry brokers,
                                  Listener listener, Executor callbacks) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.brokerId = brokerId;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.statePath = ZkPaths.partitionState(topic, partition);
        this.brokers = Objects.requireNonNull(brokers, "brokers");
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
            brokers.addListener(membershipListener);
            stateCache.listenable().addListener(CuratorCacheListener.builder()
                    .forAll((type, oldNode, node) -> evaluate())
                    .forInitialized(this::evaluate)
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
     * The leader changes the ISR: a CAS with its own epoch unchanged. Blocks. A lost CAS means another
     * writer (a newer leader) changed the state: this broker has lost leadership, {@link Listener#lostLeadership}
     * is called and false returned.
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
            if (!casAsLeader(next, "changing the ISR")) {
                return false;
            }
            LOG.info("topic {} partition {}: leader {} changed the ISR to {} at epoch {}", topic, partition, brokerId, newIsr, leaderEpoch);
            return true;
        });
    }

    /**
     * A planned move: names {@code successor} leader at epoch + 1 by CAS, optionally leaving the ISR, and stops
     * leading. The caller has stopped writes and made sure the successor holds the whole log. Blocks.
     *
     * @return true if written; false if this broker no longer leads
     */
    public boolean handOver(int successor, boolean leaveIsr) {
        return runOnLane(() -> {
            if (state != State.LEADER) {
                return false;
            }
            List<Integer> isr = new ArrayList<>(lastSeen.isr());
            if (leaveIsr) {
                isr.remove(Integer.valueOf(brokerId));
            }
            if (!isr.contains(successor)) {
                throw new IllegalArgumentException(describe() + ": successor " + successor + " is not in the ISR " + isr);
            }
            PartitionState next = new PartitionState(successor, leaderEpoch + 1, isr);
            if (!casAsLeader(next, "handing over to broker " + successor)) {
                return false;
            }
            loseLeadership("handed over to broker " + successor + " at epoch " + next.leaderEpoch());
            lastSeen = next;
            LOG.info("topic {} partition {}: broker {} handed leadership to broker {} at epoch {} with ISR {}", topic, partition,
                    brokerId, successor, next.leaderEpoch(), isr);
            if (!next.inIsr(brokerId)) {
                leaveLatch();
                state = State.WAITING_FOR_ISR;
            }
            return true;
        });
    }

    /**
     * Starts over as if newly started: this broker was fenced (its registration and latch node were deleted by
     * a peer that took it for dead). Stops leading, joins the latch again and claims any state that still names
     * it with a new epoch. Returns without waiting.
     */
    public void rejoin(String reason) {
        lane.execute(() -> {
            if (state == State.CLOSED || state == State.LATENT) {
                return;
            }
            loseLeadership(reason);
            leaveLatch();
            state = State.WAITING_FOR_ISR;
            lastSeen = null;
            suspendedEpoch = -1;
            evaluate();
        });
    }

    /**
     * Leaves the election. A leader first gives the partition up ({@code leader: -1} by CAS, so the guardian
     * does not wait for this broker to be unregistered), then leaves the latch. Blocks.
     */
    @Override
    public void close() {
        runOnLane(() -> {
            if (state == State.CLOSED) {
                return null;
            }
            if (state == State.LEADER) {
                PartitionState next = new PartitionState(PartitionState.NO_LEADER, leaderEpoch, lastSeen.isr());
                if (casAsLeader(next, "resigning")) {
                    notifyLost("elector closed");
                    state = State.CANDIDATE;
                }
            }
            leaveLatch();
            state = State.CLOSED;
            zk.getConnectionStateListenable().removeListener(connectionListener);
            brokers.removeListener(membershipListener);
            stateCache.close();
            LOG.info("topic {} partition {}: broker {} left the election", topic, partition, brokerId);
            return null;
        });
    }

    // ---- everything below runs on the lane ----

    /** The one decision procedure, run on every state, membership, latch or connection change. */
    private void evaluate() {
        if (state == State.CLOSED || state == State.LATENT) {
            return;
        }
        Optional<ChildData> node = stateCache.get(statePath);
        PartitionState current = node.map(this::parse).orElse(null);
        int version = node.map(n -> n.getStat().getVersion()).orElse(-1);
        if (current == null) {
            leaveElection("state znode " + statePath + " is gone");
            return;
        }
        if (state == State.LEADER && version < zkVersion) {
            return; // an event from before our own write, still in the queue
        }
        if (version != lastNotifiedVersion) {
            lastNotifiedVersion = version;
            callbacks.execute(() -> listener.stateChanged(current));
        }
        if (state == State.LEADER) {
            if (current.leader() == brokerId && current.leaderEpoch() == leaderEpoch) {
                zkVersion = version;
                lastSeen = current;
                return;
            }
            loseLeadership("the state znode names leader " + current.leader() + " at epoch " + current.leaderEpoch());
        }
        if (!current.inIsr(brokerId)) {
            leaveElection("broker " + brokerId + " is not in the ISR " + current.isr());
            lastSeen = current;
            return;
        }
        if (latch == null) {
            joinLatch();
        }
        PartitionState previous = lastSeen;
        lastSeen = current;
        if (!connected) {
            return; // a CAS now would fail; RECONNECTED evaluates again
        }
        if (current.leader() == brokerId) {
            if (current.leaderEpoch() == suspendedEpoch && version == suspendedVersion) {
                accept(current, version, "resumed after a connection blip");
            } else if (previous != null && previous.leader() != brokerId && current.leaderEpoch() > previous.leaderEpoch()) {
                accept(current, version, "handed over by broker " + previous.leader());
            } else {
                claim(current, version, "the state names this broker from an earlier incarnation");
            }
        } else if (latch != null && latch.hasLeadership() && !leaderIsLive(current)) {
            claim(current, version, current.hasLeader() ? "leader " + current.leader() + " is not registered" : "no leader");
        }
        suspendedEpoch = -1;
    }

    private boolean leaderIsLive(PartitionState current) {
        return current.hasLeader() && brokers.liveBrokers().containsKey(current.leader());
    }

    private void leaveElection(String reason) {
        loseLeadership(reason);
        if (latch != null) {
            leaveLatch();
            LOG.info("topic {} partition {}: broker {} leaves the election: {}", topic, partition, brokerId, reason);
        }
        state = State.WAITING_FOR_ISR;
    }

    /** CAS {leader: me, epoch + 1, ISR without unregistered brokers (never without me)}. */
    private void claim(PartitionState current, int version, String why) {
        List<Integer> isr = new ArrayList<>();
        for (int member : current.isr()) {
            if (member == brokerId || brokers.liveBrokers().containsKey(member)) {
                isr.add(member);
            }
        }
        PartitionState next = new PartitionState(brokerId, current.leaderEpoch() + 1, isr);
        try {
            Stat written = zk.setData().withVersion(version).forPath(statePath, ZkJson.toBytes(next));
            LOG.info("topic {} partition {}: broker {} claimed leadership at epoch {} with ISR {} ({})", topic, partition,
                    brokerId, next.leaderEpoch(), isr, why);
            lastSeen = next;
            accept(next, written.getVersion(), why);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            // A newer state is on its way to the cache; it is evaluated when it arrives.
            LOG.info("topic {} partition {}: broker {} lost the state CAS at version {}; waiting for the newer state",
                    topic, partition, brokerId, version);
        } catch (Exception e) {
            // Connection trouble: SUSPENDED/RECONNECTED or the next event evaluates again.
            LOG.warn("topic {} partition {}: broker {} cannot write {}", topic, partition, brokerId, statePath, e);
        }
    }

    private void accept(PartitionState current, int version, String why) {
        leaderEpoch = current.leaderEpoch();
        zkVersion = version;
        state = State.LEADER;
        suspendedEpoch = -1;
        LOG.info("topic {} partition {}: broker {} is leader at epoch {} with ISR {} ({})", topic, partition, brokerId,
                current.leaderEpoch(), current.isr(), why);
        callbacks.execute(() -> listener.becameLeader(current.leaderEpoch(), current, version));
    }

    /** A CAS by the leader at its known version; a lost one means a newer writer: leadership is lost. */
    private boolean casAsLeader(PartitionState next, String what) {
        try {
            Stat stat = zk.setData().withVersion(zkVersion).forPath(statePath, ZkJson.toBytes(next));
            zkVersion = stat.getVersion();
            lastSeen = next;
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            loseLeadership("lost the CAS on " + statePath + " at version " + zkVersion + " while " + what);
            evaluate();
            return false;
        } catch (Exception e) {
            throw new ZkOperationException(describe() + ": cannot write the state while " + what, e);
        }
    }

    private void joinLatch() {
        latch = new LeaderLatch(zk, ZkPaths.election(topic, partition), String.valueOf(brokerId));
        LeaderLatch mine = latch;
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (mine == latch) {
                    evaluate();
                }
            }

            @Override
            public void notLeader() {
                // Holding the latch makes a guardian, not a leader: leadership follows the state znode.
            }
        }, lane);
        try {
            latch.start();
        } catch (Exception e) {
            latch = null;
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

    private void connectionChanged(CuratorFramework client, ConnectionState newState) {
        if (newState == ConnectionState.SUSPENDED || newState == ConnectionState.LOST) {
            connected = false;
            if (state == State.LEADER) {
                if (newState == ConnectionState.SUSPENDED) {
                    suspendedEpoch = leaderEpoch;
                    suspendedVersion = zkVersion;
                } else {
                    suspendedEpoch = -1; // the session is gone: a new one claims afresh
                }
                loseLeadership("ZooKeeper connection " + newState);
            } else if (newState == ConnectionState.LOST) {
                suspendedEpoch = -1;
            }
        } else if (newState == ConnectionState.RECONNECTED || newState == ConnectionState.CONNECTED) {
            connected = true;
            evaluate();
        }
    }

    private void loseLeadership(String reason) {
        if (state != State.LEADER) {
            return;
        }
        state = latch == null ? State.WAITING_FOR_ISR : State.CANDIDATE;
        notifyLost(reason);
    }

    private void notifyLost(String reason) {
        LOG.info("topic {} partition {}: broker {} is no longer leader (epoch {}): {}", topic, partition, brokerId, leaderEpoch, reason);
        callbacks.execute(() -> listener.lostLeadership(reason));
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
