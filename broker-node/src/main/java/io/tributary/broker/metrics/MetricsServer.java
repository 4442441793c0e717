package io.tributary.broker.metrics;

import io.tributary.broker.config.MetricsListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics listener: {@code GET /metrics} (Prometheus text), {@code GET /health/live} and
 * {@code GET /health/ready}, on a plain Vert.x core {@link HttpServer}. It starts before anything else in the
 * broker, so that readiness answers 503 with its reasons while the broker connects to ZooKeeper and loads its
 * logs, and stops last. A scrape reads every replica and group, so it runs on a worker thread, never on the
 * event loop, and requests arriving while one runs share its result; the health answers are a few volatile
 * reads and stay on the loop.
 */
public final class MetricsServer {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Seconds a connection may stay idle (a scraper keeps one open between scrapes; others go away). */
    static final int IDLE_TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final MetricsListener listener;
    private final BrokerMetrics metrics;
    private final int brokerId;
    /** The scrape running now, which every /metrics request arriving meanwhile shares; null between scrapes. */
    private final AtomicReference<Future<String>> scrapeInFlight = new AtomicReference<>();
    private HttpServer server;
    private volatile MetricsListener bound;

    public MetricsServer(Vertx vertx, MetricsListener listener, BrokerMetrics metrics, int brokerId) {
        this.vertx = vertx;
        this.listener = listener;
        this.metrics = metrics;
        this.brokerId = brokerId;
    }

    /** Binds the listener; completes with its URL on the real port, or fails naming the address and the cause. */
    public Future<MetricsListener> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(listener.host()).setPort(listener.port())
                        .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(this::handle);
        return server.listen()
                .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on metrics.listener="
                        + listener + ": " + e.getMessage(), e)))
                .map(s -> {
                    bound = listener.withPort(s.actualPort());
                    log.info("Broker {}: metrics and health listener bound to {} (/metrics, /health/live, /health/ready)",
                            brokerId, bound);
                    return bound;
                });
    }

    /** The URL actually bound (with the real port when the setting asked for 0). */
    public MetricsListener boundListener() {
        return bound;
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("Allow", "GET").end();
            return;
        }
        switch (request.path()) {
            case "/metrics" -> scrape(request);
            case "/health/live" -> json(request, 200, new JsonObject().put("status", "UP").put("broker", brokerId));
            case "/health/ready" -> ready(request);
            default -> request.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Not found: try /metrics, /health/live or /health/ready\n");
        }
    }

    private void scrape(HttpServerRequest request) {
        sharedScrape().onComplete(result -> {
            if (result.succeeded()) {
                request.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(result.result());
            } else {
                log.warn("Broker {}: scraping the metrics failed", brokerId, result.cause());
                request.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("scrape failed: " + result.cause() + "\n");
            }
        });
    }

    /**
     * One scrape at a time, shared: requests arriving while a scrape runs get its text instead of queueing
     * scrapes of their own behind it on the worker pool (several Prometheus servers, a console and a dashboard
     * may all ask at once). A request arriving after it finished starts a fresh one.
     */
    private Future<String> sharedScrape() {
        Promise<String> promise = Promise.promise();
        Future<String> running = scrapeInFlight.compareAndExchange(null, promise.future());
        if (running != null) {
            return running;
        }
        vertx.executeBlocking(metrics::scrape, false).onComplete(result -> {
            scrapeInFlight.set(null);
            promise.handle(result);
        });
        return promise.future();
    }

    private void ready(HttpServerRequest request) {
        Readiness.Status status = metrics.readiness().status();
        JsonObject body = new JsonObject().put("status", status.ready() ? "UP" : "DOWN").put("broker", brokerId)
                .put("checks", new JsonObject(new LinkedHashMap<String, Object>(status.checks())));
        if (!status.ready()) {
            body.put("reasons", new JsonArray(status.reasons()));
        }
        json(request, status.ready() ? 200 : 503, body);
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }
}
