package io.tributary.console.watch;

import io.tributary.client.common.Node;
import io.tributary.console.metrics.BrokerMetrics;
import io.tributary.console.metrics.MetricsScraper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Checks one broker on the event loop, without blocking it: a TCP connect to its Kafka listener (works against any
 * Kafka broker) and, when the broker reports a metrics.listener, a scrape of /metrics. After kill -9 both are refused
 * at once, well before the broker's ZooKeeper session expires and it leaves the metadata.
 */
public final class BrokerProber implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 800;

    /**
     * A probe's outcome. Only the Kafka listener decides reachability: a failing /metrics (a 500, a timeout) is a
     * metrics problem, shown as such, not a broker that is down.
     *
     * @param listening    whether the Kafka listener accepted a connection
     * @param connectError why it did not, null when it did
     * @param scraped      whether /metrics answered; null when no scrape was asked for
     * @param metrics      the scrape, null when none was asked for or it failed
     * @param scrapeError  why the scrape failed, null when it did not fail
     */
    public record Result(int brokerId, boolean listening, String connectError, Boolean scraped, BrokerMetrics metrics,
                         String scrapeError) {
        public boolean reachable() {
            return listening;
        }
    }

    private final NetClient net;
    private final MetricsScraper scraper;

    public BrokerProber(Vertx vertx) {
        this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
        this.scraper = new MetricsScraper(vertx);
    }

    /** Never fails: an unreachable broker is a result. */
    public Future<Result> probe(Node broker, String metricsUrl) {
        Future<Void> connect = net.connect(broker.port(), broker.host()).compose(socket -> socket.close());
        Future<BrokerMetrics> scrape = metricsUrl == null ? Future.succeededFuture(null) : scraper.scrape(metricsUrl);
        return Future.join(connect, scrape).transform(done -> Future.succeededFuture(new Result(broker.id(),
                connect.succeeded(), connect.failed() ? String.valueOf(connect.cause().getMessage()) : null,
                metricsUrl == null ? null : scrape.succeeded(), scrape.succeeded() ? scrape.result() : null,
                scrape.failed() ? String.valueOf(scrape.cause().getMessage()) : null)));
    }

    @Override
    public void close() {
        net.close();
        scraper.close();
    }
}
