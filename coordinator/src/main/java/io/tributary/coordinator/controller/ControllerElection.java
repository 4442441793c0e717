package io.tributary.coordinator.controller;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Elects the cluster's controller with a Curator {@link LeaderLatch} at {@code /controller} whose
 * participant id is the broker id. Every broker also caches the latch's participants, so
 * {@link #controllerId()} (for Metadata responses) needs no ZooKeeper round trip.
 *
 * <p>Threads: listener callbacks run on the executor given to the constructor (by default this
 * election's own thread, "controller-election-&lt;id&gt;"), in order.
 */
public final class ControllerElection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerElection.class);

    /** Curator's LeaderLatch names participants "..latch-&lt;sequence&gt;"; the lowest sequence leads. */
    private static final String LATCH_NODE_MARKER = "latch-";

    public enum State { LATENT, STARTED, CLOSED }

    public interface Listener {
        /** This broker now holds /controller. */
        void becameController();

        /** This broker no longer holds /controller (latch lost, connection suspended or closed). */
        void resignedController();
    }

    private final CuratorFramework zk;
    private final int brokerId;
    private final LeaderLatch latch;
    private final CuratorCache participants;
    private final ExecutorService ownThread;
    private final Executor callbacks;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    public ControllerElection(CuratorFramework zk, int brokerId) {
        this(zk, brokerId, null);
    }

    /** @param callbacks where listener callbacks run; null for this election's own thread */
    public ControllerElection(CuratorFramework zk, int brokerId, Executor callbacks) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.brokerId = brokerId;
        this.latch = new LeaderLatch(zk, ZkPaths.controller(), String.valueOf(brokerId));
        this.participants = CuratorCache.build(zk, ZkPaths.controller());
        this.ownThread = callbacks == null ? NamedThreads.single("controller-election-" + brokerId) : null;
        this.callbacks = callbacks == null ? ownThread : callbacks;
    }

    /** Joins the election and loads the participant cache. Blocks until the cache is loaded. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("controller election of broker " + brokerId + " cannot start in state " + state.get());
        }
        PersistentPaths.ensure(zk, ZkPaths.controller());
        CountDownLatch loaded = new CountDownLatch(1);
        participants.listenable().addListener(CuratorCacheListener.builder().forInitialized(loaded::countDown).build());
        participants.start();
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("broker {} became the controller", brokerId);
                listeners.forEach(Listener::becameController);
            }

            @Override
            public void notLeader() {
                LOG.info("broker {} is no longer the controller", brokerId);
                listeners.forEach(Listener::resignedController);
            }
        }, callbacks);
        try {
            latch.start();
            if (!loaded.await(60, TimeUnit.SECONDS)) {
                throw new ZkOperationException("controller participants at " + ZkPaths.controller() + " did not load", null);
            }
        } catch (InterruptedException e) {
            throw new ZkOperationException("interrupted while joining the controller election", e);
        } catch (ZkOperationException e) {
            throw e;
        } catch (Exception e) {
            throw new ZkOperationException("broker " + brokerId + " cannot join the controller election at " + ZkPaths.controller(), e);
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Whether this broker holds /controller now (false while the connection is suspended). */
    public boolean isController() {
        return latch.hasLeadership();
    }

    /**
     * The broker id of the current controller, or -1 if there is none, from the cached latch
     * participants (non-blocking; may lag ZooKeeper by one event).
     */
    public int controllerId() {
        Optional<ChildData> leader = participants.stream()
                .filter(node -> !node.getPath().equals(ZkPaths.controller()))
                .filter(node -> ZKPaths.getNodeFromPath(node.getPath()).contains(LATCH_NODE_MARKER))
                .min(Comparator.comparing(node -> sequenceOf(node.getPath())));
        if (leader.isEmpty() || leader.get().getData() == null) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(leader.get().getData(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            LOG.warn("controller latch participant {} has a non-numeric id", leader.get().getPath());
            return -1;
        }
    }

    public int brokerId() {
        return brokerId;
    }

    public State state() {
        return state.get();
    }

    /** Leaves the election (another broker takes over at once) and stops the cache. Blocks. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        try {
            latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("broker {}: error leaving the controller election", brokerId, e);
        }
        participants.close();
        if (ownThread != null) {
            ownThread.shutdown();
        }
    }

    private static String sequenceOf(String path) {
        String node = ZKPaths.getNodeFromPath(path);
        return node.substring(node.lastIndexOf(LATCH_NODE_MARKER) + LATCH_NODE_MARKER.length());
    }
}
