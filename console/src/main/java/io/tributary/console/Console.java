package io.tributary.console;

import io.tributary.client.admin.Admin;
import io.tributary.client.common.Node;
import io.tributary.client.common.TributaryException;
import io.tributary.console.watch.BrokerProber;
import io.tributary.console.watch.ClusterPoller;
import io.tributary.console.watch.ClusterView;
import io.tributary.console.watch.DetailPoller;
import io.tributary.console.web.ConsoleRoutes;
import io.tributary.console.web.StreamHub;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running console: two poller threads feeding one Vert.x event loop, which owns the state, probes the brokers,
 * builds the timeline and serves the pages. {@link #start} returns once the HTTP server listens.
 */
public final class Console implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    static final long METADATA_INTERVAL_MS = 250;
    static final long DETAIL_INTERVAL_MS = 2000;
    /** A TCP connect to each broker's listener this often: how soon a kill -9 shows (cheap, even every 250 ms). */
    static final long PROBE_INTERVAL_MS = 250;
    /** Every 4th probe (once a second) also scrapes /metrics. */
    static final int SCRAPE_EVERY_PROBES = 4;
    static final int TIMELINE_CAPACITY = 1000;
    static final long SNAPSHOT_INTERVAL_MS = 250;

    private final Vertx vertx;
    private final Context context;
    private final Admin admin;
    private final ClusterPoller clusterPoller;
    private final DetailPoller detailPoller;
    private final BrokerProber prober;
    private final StreamHub hub;
    private final HttpServer server;

    private Console(Vertx vertx, Context context, Admin admin, ClusterPoller clusterPoller, DetailPoller detailPoller,
                    BrokerProber prober, StreamHub hub, HttpServer server) {
        this.vertx = vertx;
        this.context = context;
        this.admin = admin;
        this.clusterPoller = clusterPoller;
        this.detailPoller = detailPoller;
        this.prober = prober;
        this.hub = hub;
        this.server = server;
    }

    /**
     * @throws IllegalArgumentException when the bootstrap servers are not valid (nothing is started then)
     * @throws IllegalStateException    when the HTTP port cannot be bound (e.g. already in use)
     */
    public static Console start(ConsoleOptions options) {
        // The Admin first: a bad --bootstrap-server fails here, before any Vert.x thread exists to be left running.
        Admin admin = createAdmin(options);
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        AtomicReference<StreamHub> hubRef = new AtomicReference<>();
        ConsoleState state = new ConsoleState(TIMELINE_CAPACITY, events -> hubRef.get().publish(events));
        StreamHub hub = new StreamHub(state);
        hubRef.set(hub);
        AtomicReference<ClusterView> latest = new AtomicReference<>();
        ClusterPoller clusterPoller = new ClusterPoller(admin, view -> {
            latest.set(view);
            context.runOnContext(v -> state.onClusterView(view));
        });
        DetailPoller detailPoller = new DetailPoller(admin, latest::get, state::unreachableBrokers,
                view -> context.runOnContext(v -> state.onDetailView(view)));
        BrokerProber prober = new BrokerProber(vertx);

        HttpServer server;
        try {
            server = Future.<HttpServer>future(promise -> context.runOnContext(v -> vertx.createHttpServer()
                            .requestHandler(ConsoleRoutes.create(vertx, state, hub))
                            .listen(options.port(), options.host())
                            .onComplete(promise)))
                    .toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            admin.close();
            vertx.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + rootMessage(e), e);
        }
        Probes probes = new Probes(state, prober);
        context.runOnContext(v -> {
            long[] tick = {0};
            vertx.setPeriodic(PROBE_INTERVAL_MS, id -> probes.probeAll(tick[0]++ % SCRAPE_EVERY_PROBES == 0));
            // Snapshots go out at most once per tick, however many changes the tick saw.
            vertx.setPeriodic(SNAPSHOT_INTERVAL_MS, id -> hub.flush());
            vertx.setPeriodic(15_000, id -> hub.keepAlive());
        });
        clusterPoller.start(METADATA_INTERVAL_MS);
        detailPoller.start(DETAIL_INTERVAL_MS);
        log.info("Console for {} listening on http://{}:{}", options.bootstrapServers(), options.host(), server.actualPort());
        return new Console(vertx, context, admin, clusterPoller, detailPoller, prober, hub, server);
    }

    private static Admin createAdmin(ConsoleOptions options) {
        Properties props = new Properties();
        props.put("bootstrap.servers", options.bootstrapServers());
        props.put("client.id", "tributary-console");
        // A dying broker must not hold a poll for long: the next round asks another one.
        props.put("request.timeout.ms", "5000");
        props.put("socket.connection.setup.timeout.ms", "1000");
        try {
            return new Admin(props);
        } catch (TributaryException e) {
            throw new IllegalArgumentException("--bootstrap-server '" + options.bootstrapServers() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The probes, on the event loop: at most one in flight per broker (a slow one is not overtaken by the next, so
     * its late timeout cannot undo a newer success), each stamped with its start time for the state to order them.
     */
    private static final class Probes {
        private final ConsoleState state;
        private final BrokerProber prober;
        private final Set<Integer> inFlight = new HashSet<>();

        Probes(ConsoleState state, BrokerProber prober) {
            this.state = state;
            this.prober = prober;
        }

        void probeAll(boolean scrape) {
            ClusterView view = state.cluster();
            if (view == null) {
                return;
            }
            for (Node broker : view.brokers().values()) {
                if (!inFlight.add(broker.id())) {
                    continue;
                }
                long startedAtMs = System.currentTimeMillis();
                prober.probe(broker, scrape ? state.detail().metricsUrls().get(broker.id()) : null)
                        .onComplete(done -> {
                            inFlight.remove(broker.id());
                            if (done.succeeded()) {
                                state.onProbe(done.result(), startedAtMs);
                            }
                        });
            }
        }
    }

    public int port() {
        return server.actualPort();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    /**
     * Stops in dependency order: the pollers first (waiting for a round in progress, so none hands a view to a closing
     * event loop), then the SSE clients and the prober on the event loop, then the server, Vert.x and the Admin.
     */
    @Override
    public void close() {
        clusterPoller.close();
        detailPoller.close();
        try {
            // A round may wait for a dying broker up to request.timeout.ms (5 s).
            if (!clusterPoller.awaitTermination(10_000) || !detailPoller.awaitTermination(10_000)) {
                log.warn("A console poll did not finish within 10 s of close; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Future.<Void>future(promise -> context.runOnContext(v -> {
            hub.closeAll();
            prober.close();
            promise.complete();
        })).toCompletionStage().toCompletableFuture().join();
        server.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        admin.close();
    }
}
