package io.tributary.coordinator.membership;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.PersistentPaths;
import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.BrokerRegistration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.listen.StandardListenerManager;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Broker membership: registers this broker as the ephemeral {@code /brokers/ids/<id>} and keeps a
 * cache of every live broker.
 *
 * <p>Threads: cache events, re-registration and listener callbacks run on this registry's own
 * thread ("broker-registry"), in the order ZooKeeper reported them, unless a listener was added
 * with its own executor. Listeners added before {@link #start()} see every broker present at start
 * as {@link Listener#brokerJoined}.
 */
public final class BrokerRegistry implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRegistry.class);

    public enum State { LATENT, STARTED, CLOSED }

    /** Membership changes. A broker whose registration data changes is reported as joined again. */
    public interface Listener {
        void brokerJoined(BrokerRegistration broker);

        void brokerLeft(int brokerId);
    }

    private final CuratorFramework zk;
    private final ExecutorService events = NamedThreads.single("broker-registry");
    private final CuratorCache cache;
    private final Map<Integer, BrokerRegistration> live = new ConcurrentHashMap<>();
    private final StandardListenerManager<Listener> listeners = StandardListenerManager.standard();
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final ConnectionStateListener reRegisterOnReconnect = this::connectionChanged;
    private volatile BrokerRegistration self;
    private volatile boolean deregistered;

    public BrokerRegistry(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.cache = CuratorCache.build(zk, ZkPaths.brokerIds());
    }

    /**
     * Registers this broker. Blocks. Afterwards the registration is re-created automatically when
     * the ZooKeeper session is lost and a new one is established.
     *
     * @throws DuplicateBrokerIdException if another live process holds the broker id
     */
    public void register(BrokerRegistration registration) {
        Objects.requireNonNull(registration, "registration");
        if (state.get() == State.CLOSED) {
            throw new IllegalStateException("broker registry is closed; cannot register broker " + registration.brokerId());
        }
        synchronized (this) {
            if (self != null) {
                throw new IllegalStateException("broker " + self.brokerId() + " is already registered by this registry");
            }
            createEphemeral(registration);
            self = registration;
        }
        zk.getConnectionStateListenable().addListener(reRegisterOnReconnect, events);
        LOG.info("broker {} registered at {} as {}", registration.brokerId(), ZkPaths.broker(registration.brokerId()),
                registration.endpoints());
    }

    /**
     * Like {@link #register(BrokerRegistration)}, but when the znode is held by a registration with this
     * broker's own host and port, it is this broker's previous process, killed before its session expired
     * (nothing else can have bound that address while this process holds it). {@code removeStale} is asked to
     * fence it (delete it and its latch nodes) so the broker comes back at once; if it does not, this waits
     * up to {@code staleSessionWait} for ZooKeeper to expire it. Blocks.
     *
     * @throws DuplicateBrokerIdException if another address holds the id, or the old one does not go in time
     */
    public void register(BrokerRegistration registration, Duration staleSessionWait, Predicate<BrokerRegistration> removeStale) {
        long deadline = System.nanoTime() + staleSessionWait.toNanos();
        while (true) {
            try {
                register(registration);
                return;
            } catch (DuplicateBrokerIdException e) {
                String path = ZkPaths.broker(registration.brokerId());
                CountDownLatch changed = new CountDownLatch(1);
                BrokerRegistration holder;
                try {
                    byte[] data = zk.getData().usingWatcher((Watcher) event -> changed.countDown()).forPath(path);
                    holder = ZkJson.fromBytes(data, BrokerRegistration.class);
                } catch (KeeperException.NoNodeException gone) {
                    continue;
                } catch (Exception unreadable) {
                    throw e;
                }
                if (!holder.address().equals(registration.address())) {
                    throw e;
                }
                if (removeStale.test(holder)) {
                    LOG.info("broker {}: removed the registration left by its previous process (started at {})",
                            registration.brokerId(), Instant.ofEpochMilli(holder.startTimeMs()));
                    continue;
                }
                LOG.info("broker {}: {} is held by this broker's previous process (started at {}); waiting for its session to expire",
                        registration.brokerId(), path, Instant.ofEpochMilli(holder.startTimeMs()));
                try {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) {
                        throw new DuplicateBrokerIdException(e.getMessage() + "; it did not expire within " + staleSessionWait);
                    }
                } catch (InterruptedException interrupted) {
                    throw new ZkOperationException("interrupted while waiting for the old registration of broker "
                            + registration.brokerId() + " to expire", interrupted);
                }
            }
        }
    }

    /** Starts the membership cache. Blocks until the brokers present now are loaded. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("broker registry cannot be started in state " + state.get());
        }
        PersistentPaths.ensure(zk, ZkPaths.brokerIds());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> brokerUpdated(node))
                .forDeletes(this::brokerDeleted)
                .forInitialized(initialized::countDown)
                .build(), events);
        cache.start();
        try {
            if (!initialized.await(60, TimeUnit.SECONDS)) {
                throw new ZkOperationException("broker membership cache at " + ZkPaths.brokerIds() + " did not load", null);
            }
        } catch (InterruptedException e) {
            throw new ZkOperationException("interrupted while loading broker membership", e);
        }
    }

    /** The live brokers by id, as an immutable snapshot sorted by id. */
    public Map<Integer, BrokerRegistration> liveBrokers() {
        return Collections.unmodifiableMap(new TreeMap<>(live));
    }

    public State state() {
        return state.get();
    }

    /** Adds a listener called on this registry's thread. */
    public void addListener(Listener listener) {
        addListener(listener, Runnable::run);
    }

    /** Adds a listener called on the given executor (e.g. a Vert.x context's runOnContext). */
    public void addListener(Listener listener, Executor executor) {
        listeners.addListener(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
    }

    public void removeListener(Listener listener) {
        listeners.removeListener(listener);
    }

    /**
     * Deregisters this broker for good (a shutting-down broker: peers see it leave at once, before its listener
     * closes, so none takes the closed port for a dead process) while the membership cache keeps running. Blocks.
     */
    public void deregister() {
        BrokerRegistration registered;
        synchronized (this) {
            registered = self;
            deregistered = true;
        }
        if (registered != null) {
            deleteOwnNode(registered.brokerId());
        }
    }

    /** Whether this broker left the membership for good ({@link #deregister()}): its node going is no fencing. */
    public boolean isDeregistered() {
        return deregistered;
    }

    /**
     * Deregisters this broker (others see it leave at once rather than after the session timeout)
     * and stops the cache. Blocks.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        zk.getConnectionStateListenable().removeListener(reRegisterOnReconnect);
        BrokerRegistration registered = self;
        if (registered != null) {
            deleteOwnNode(registered.brokerId());
        }
        cache.close();
        events.shutdown();
    }

    private void createEphemeral(BrokerRegistration registration) {
        String path = ZkPaths.broker(registration.brokerId());
        try {
            zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, ZkJson.toBytes(registration));
        } catch (KeeperException.NodeExistsException e) {
            throw new DuplicateBrokerIdException(duplicateMessage(registration.brokerId(), path));
        } catch (Exception e) {
            throw new ZkOperationException("cannot register broker " + registration.brokerId() + " at " + path, e);
        }
    }

    private String duplicateMessage(int brokerId, String path) {
        try {
            BrokerRegistration other = ZkJson.fromBytes(zk.getData().forPath(path), BrokerRegistration.class);
            return "broker id " + brokerId + " is already registered by " + other.address()
                    + " (started at " + Instant.ofEpochMilli(other.startTimeMs()) + ")";
        } catch (KeeperException.NoNodeException gone) {
            return "broker id " + brokerId + " is already registered by another process (its registration has just gone; retry)";
        } catch (Exception unreadable) {
            return "broker id " + brokerId + " is already registered by another process (" + path + " is unreadable: "
                    + unreadable.getMessage() + ")";
        }
    }

    /**
     * After a RECONNECTED the session may be new (the old one expired while disconnected), and then
     * the ephemeral node is gone: create it again. Runs on the registry thread.
     */
    private void connectionChanged(CuratorFramework client, ConnectionState newState) {
        BrokerRegistration registered = self;
        if (registered == null || state.get() == State.CLOSED) {
            return;
        }
        if (newState == ConnectionState.LOST || newState == ConnectionState.SUSPENDED) {
            LOG.warn("broker {}: ZooKeeper connection {}; registration will be checked on reconnect", registered.brokerId(), newState);
        }
        if (newState == ConnectionState.RECONNECTED) {
            ensureRegistered(registered);
        }
    }

    private void ensureRegistered(BrokerRegistration registered) {
        if (state.get() == State.CLOSED || deregistered) {
            return;
        }
        String path = ZkPaths.broker(registered.brokerId());
        try {
            Stat stat = zk.checkExists().forPath(path);
            long session = zk.getZookeeperClient().getZooKeeper().getSessionId();
            if (stat == null) {
                createEphemeral(registered);
                LOG.info("broker {} re-registered at {} after its ZooKeeper session was lost", registered.brokerId(), path);
                return;
            }
            if (stat.getEphemeralOwner() == session) {
                return;
            }
            // Curator reports LOST when the session timeout has elapsed on the client's clock; the
            // server may expire the old session (and its node) a little later. If the node is our
            // own old registration, wait for it to go; anything else is a real duplicate.
            byte[] data = zk.getData().usingWatcher((Watcher) event -> retry(registered))
                    .forPath(path);
            if (registered.equals(ZkJson.fromBytes(data, BrokerRegistration.class))) {
                LOG.info("broker {}: {} still belongs to the previous, expiring session; re-registering once it is gone",
                        registered.brokerId(), path);
            } else {
                LOG.error("broker {}: {} is held by another process; this broker is not registered: {}",
                        registered.brokerId(), path, duplicateMessage(registered.brokerId(), path));
            }
        } catch (KeeperException.NoNodeException | DuplicateBrokerIdException raced) {
            retry(registered);
        } catch (Exception e) {
            LOG.error("broker {}: cannot check its registration at {} after reconnecting", registered.brokerId(), path, e);
        }
    }

    private void retry(BrokerRegistration registered) {
        if (state.get() != State.CLOSED) {
            try {
                events.execute(() -> ensureRegistered(registered));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile: nothing to re-register
            }
        }
    }

    private void deleteOwnNode(int brokerId) {
        String path = ZkPaths.broker(brokerId);
        try {
            Stat stat = zk.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == zk.getZookeeperClient().getZooKeeper().getSessionId()) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
                LOG.info("broker {} deregistered from {}", brokerId, path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // Someone else's node now, or already gone: nothing of ours to remove.
        } catch (Exception e) {
            LOG.warn("broker {}: cannot delete its registration {}; it goes with the session", brokerId, path, e);
        }
    }

    private void brokerUpdated(ChildData node) {
        Integer id = brokerIdOf(node.getPath());
        if (id == null) {
            return;
        }
        BrokerRegistration registration;
        try {
            registration = ZkJson.fromBytes(node.getData(), BrokerRegistration.class);
        } catch (ZkDataException e) {
            LOG.warn("broker {}: ignoring unreadable registration at {}: {}", id, node.getPath(), e.getMessage());
            return;
        }
        live.put(id, registration);
        LOG.info("broker {} joined at {} (rack {})", id, registration.address(), registration.rack());
        listeners.forEach(listener -> listener.brokerJoined(registration));
    }

    private void brokerDeleted(ChildData node) {
        Integer id = brokerIdOf(node.getPath());
        if (id == null || live.remove(id) == null) {
            return;
        }
        LOG.info("broker {} left", id);
        listeners.forEach(listener -> listener.brokerLeft(id));
        BrokerRegistration registered = self;
        if (registered != null && registered.brokerId() == id && state.get() == State.STARTED && !deregistered) {
            // A peer fenced this broker, taking it for dead (docs/architecture.md, "Fast failure detection"):
            // listeners have seen it leave and stop leading; come back as a live broker.
            LOG.warn("broker {}: its registration {} was deleted by another session (fenced); registering again",
                    id, ZkPaths.broker(id));
            ensureRegistered(registered);
        }
    }

    private static Integer brokerIdOf(String path) {
        String prefix = ZkPaths.brokerIds() + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        try {
            return Integer.parseInt(path.substring(prefix.length()));
        } catch (NumberFormatException e) {
            LOG.warn("ignoring znode {} under {}: not a broker id", path, ZkPaths.brokerIds());
            return null;
        }
    }
}
