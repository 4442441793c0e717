package io.tributary.console.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;

/**
 * GETs {@code <metrics.listener>/metrics} with Vert.x's HTTP client (never blocking the event loop) and parses the
 * answer. A refused connection (a broker after kill -9) fails the future within milliseconds; a hung broker fails it
 * after the timeout.
 */
public final class MetricsScraper implements AutoCloseable {
    private static final long TIMEOUT_MS = 800;

    private final HttpClient client;

    public MetricsScraper(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
                .setKeepAlive(true));
    }

    /** @param listenerUrl the broker's metrics.listener, e.g. http://localhost:9192 */
    public Future<BrokerMetrics> scrape(String listenerUrl) {
        URI uri = URI.create(listenerUrl);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : 80).setURI("/metrics").setTimeout(TIMEOUT_MS);
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture("GET " + listenerUrl + "/metrics answered " + response.statusCode()))
                .map(body -> BrokerMetrics.from(PrometheusText.parse(body.toString()), System.currentTimeMillis()));
    }

    @Override
    public void close() {
        client.close();
    }
}
