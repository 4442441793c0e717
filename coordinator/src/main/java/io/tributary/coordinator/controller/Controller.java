package io.tributary.coordinator.controller;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.PersistentPaths;
import io.tributary.zk.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The work a broker does while it holds {@code /controller}: today, deleting the topics marked at
 * {@code /admin/delete_topics/<t>}. It starts when its {@link ControllerElection} makes this broker
 * controller and stops when it resigns; a new controller picks up markers the old one left.
 *
 * <p>Threads: all work runs on this controller's own thread ("controller-&lt;id&gt;"), one task at a time.
 */
public final class Controller implements Closeable, ControllerElection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    public enum State { LATENT, STANDBY, ACTIVE, CLOSED }

    private final CuratorFramework zk;
    private final ControllerElection election;
    private final TopicDeleter deleter;
    /** How long a failed deletion waits before this controller tries it again. */
    private static final long RETRY_DELAY_MS = 2_000;

    private final ScheduledExecutorService worker;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private CuratorCache deletionMarkers; // touched on the worker thread only

    public Controller(CuratorFramework zk, ControllerElection election) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.election = Objects.requireNonNull(election, "election");
        this.deleter = new TopicDeleter(zk);
        this.worker = Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("controller-" + election.brokerId()));
    }

    /** Starts following the election; becomes active at once if this broker is already controller. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STANDBY)) {
            throw new IllegalStateException("controller of broker " + election.brokerId() + " cannot start in state " + state.get());
        }
        election.addListener(this);
        if (election.isController()) {
            becameController();
        }
    }

    public State state() {
        return state.get();
    }

    @Override
    public void becameController() {
        worker.execute(this::activate);
    }

    @Override
    public void resignedController() {
        worker.execute(this::deactivate);
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        election.removeListener(this);
        worker.execute(this::stopWatching);
        worker.shutdown();
    }

    private void activate() {
        if (!election.isController() || !state.compareAndSet(State.STANDBY, State.ACTIVE)) {
            return;
        }
        LOG.info("broker {}: controller active; processing topic deletions", election.brokerId());
        PersistentPaths.ensure(zk, ZkPaths.deleteTopics());
        // A fresh cache reports every marker already present as created, so deletions an earlier
        // controller left unfinished are resumed.
        deletionMarkers = CuratorCache.build(zk, ZkPaths.deleteTopics());
        deletionMarkers.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(this::deletionMarked)
                .build(), worker);
        deletionMarkers.start();
    }

    private void deactivate() {
        if (state.compareAndSet(State.ACTIVE, State.STANDBY)) {
            LOG.info("broker {}: controller inactive", election.brokerId());
            stopWatching();
        }
    }

    private void stopWatching() {
        if (deletionMarkers != null) {
            deletionMarkers.close();
            deletionMarkers = null;
        }
    }

    private void deletionMarked(ChildData marker) {
        if (marker.getPath().equals(ZkPaths.deleteTopics())) {
            return;
        }
        String topic = ZKPaths.getNodeFromPath(marker.getPath());
        if (state.get() != State.ACTIVE || !election.isController()) {
            LOG.info("broker {}: not controller any more; leaving the deletion of topic {} to the next one", election.brokerId(), topic);
            return;
        }
        try {
            deleter.delete(topic);
        } catch (RuntimeException e) {
            // The marker stays, so a later attempt (here, or by the next controller) resumes it.
            LOG.error("broker {}: deleting topic {} failed; retrying in {} ms", election.brokerId(), topic, RETRY_DELAY_MS, e);
            try {
                worker.schedule(() -> deletionMarked(marker), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // Closing: the next controller picks the marker up.
            }
        }
    }
}
