package io.tributary.coordinator.liveness;

import io.tributary.coordinator.NamedThreads;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.zk.model.BrokerRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Sub-second failover after a broker process dies (docs/architecture.md, "Fast failure detection"): probes
 * the listener of every other registered broker and, when one refuses connections, fences it in ZooKeeper
 * instead of waiting for its session to expire. Every broker probes every other and any of them may fence:
 * the versioned delete of the registration decides which one goes on to remove the latch nodes, so the work is
 * done once, and no single detector (not even the controller, which may be the broker that died) is needed.
 */
public final class PeerFailureDetector implements BrokerRegistry.Listener, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerFailureDetector.class);

    private final int brokerId;
    private final BrokerRegistry registry;
    private final BrokerFencer fencer;
    private final Map<Integer, ListenerProbe> probes = new ConcurrentHashMap<>();
    private final ExecutorService fencing = NamedThreads.single("broker-fencer");
    private volatile boolean closed;

    public PeerFailureDetector(int brokerId, BrokerRegistry registry, BrokerFencer fencer) {
        this.brokerId = brokerId;
        this.registry = registry;
        this.fencer = fencer;
    }

    /** Starts probing the brokers registered now and follows membership from then on. */
    public void start() {
        registry.addListener(this);
        registry.liveBrokers().values().forEach(this::brokerJoined);
    }

    @Override
    public synchronized void brokerJoined(BrokerRegistration broker) {
        if (closed || broker.brokerId() == brokerId) {
            return;
        }
        ListenerProbe existing = probes.get(broker.brokerId());
        if (existing != null && existing.peer().equals(broker)) {
            return;
        }
        if (existing != null) {
            existing.close();
        }
        ListenerProbe probe = new ListenerProbe(brokerId, broker, this::refused);
        probes.put(broker.brokerId(), probe);
        probe.start();
    }

    @Override
    public synchronized void brokerLeft(int id) {
        ListenerProbe probe = probes.remove(id);
        if (probe != null) {
            probe.close();
        }
    }

    private void refused(BrokerRegistration dead) {
        if (closed) {
            return;
        }
        fencing.execute(() -> {
            try {
                fencer.fence(dead);
            } catch (RuntimeException e) {
                LOG.error("broker {}: fencing broker {} failed; its session timeout will do it", brokerId, dead.brokerId(), e);
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        registry.removeListener(this);
        probes.values().forEach(ListenerProbe::close);
        probes.clear();
        fencing.shutdownNow();
    }
}
