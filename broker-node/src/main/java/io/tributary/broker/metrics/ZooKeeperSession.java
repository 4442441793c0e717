package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.drivers.TracerDriver;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * The broker's ZooKeeper session as metrics and as the readiness check's input. The state comes from Curator's
 * {@link ConnectionStateListener} (CONNECTED/RECONNECTED = connected; SUSPENDED = connection lost, session
 * maybe alive; LOST = session expired or given up). Request latency comes from Curator's {@link TracerDriver},
 * which Curator calls with the duration of every ZooKeeper operation it runs for the broker: no timing code
 * around each of the broker's own calls, and nothing on the Kafka request path.
 */
public final class ZooKeeperSession implements ConnectionStateListener {

    /** The states the {@code state} label takes, one series each; the current one is 1. */
    private static final String[] STATES = {"connecting", "connected", "suspended", "lost", "read_only"};

    private final Readiness readiness;
    private final MeterRegistry registry;
    /** Until Curator's first CONNECTED: a broker that has not reached ZooKeeper yet has lost nothing. */
    private volatile String state = "connecting";
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder expires = new LongAdder();
    private Timer latency;

    ZooKeeperSession(MeterRegistry registry, Readiness readiness) {
        this.registry = registry;
        this.readiness = readiness;
        if (registry != null) {
            for (String s : STATES) {
                Gauge.builder("kafka.server.sessionexpirelistener.sessionstate", this, z -> z.state.equals(s) ? 1 : 0)
                        .description("The broker's ZooKeeper session state: 1 for the current state")
                        .tag("state", s).register(registry);
            }
            FunctionCounter.builder("kafka.server.sessionexpirelistener.zookeeperdisconnects", disconnects, LongAdder::doubleValue)
                    .description("Times the ZooKeeper connection was lost (Curator SUSPENDED)").register(registry);
            FunctionCounter.builder("kafka.server.sessionexpirelistener.zookeeperexpires", expires, LongAdder::doubleValue)
                    .description("Times the ZooKeeper session was lost (Curator LOST)").register(registry);
            latency = Timer.builder("kafka.server.zookeeperclientmetrics.zookeeperrequestlatency")
                    .description("Latency of the broker's ZooKeeper operations, as Curator traces them")
                    .serviceLevelObjectives(LatencyBuckets.get()).register(registry);
        }
    }

    /** Follows {@code zk}'s connection state and traces its operations; call before the client starts. */
    public void follow(CuratorFramework zk) {
        zk.getConnectionStateListenable().addListener(this);
        if (latency != null) {
            zk.getZookeeperClient().setTracerDriver(new LatencyTracer(latency));
        }
    }

    @Override
    public void stateChanged(CuratorFramework client, ConnectionState newState) {
        switch (newState) {
            case CONNECTED, RECONNECTED -> state = "connected";
            case SUSPENDED -> {
                state = "suspended";
                disconnects.increment();
            }
            case LOST -> {
                state = "lost";
                expires.increment();
            }
            case READ_ONLY -> state = "read_only";
        }
        readiness.zookeeperConnected(newState.isConnected() && newState != ConnectionState.READ_ONLY);
    }

    private record LatencyTracer(Timer latency) implements TracerDriver {
        @Override
        public void addTrace(String name, long time, TimeUnit unit) {
            // Waiting for a connection is not a request (start-up waits for ZooKeeper this way).
            if (!name.startsWith("blockUntilConnected")) {
                latency.record(time, unit);
            }
        }

        @Override
        public void addCount(String name, int increment) {
            // Curator's event counts (retries, connection events) are covered by the state metrics.
        }
    }
}
