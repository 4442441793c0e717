package io.tributary.console.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.common.Node;
import io.tributary.console.metrics.BrokerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prober against real sockets: a TCP server standing in for a broker's Kafka listener and an HTTP server serving
 * Prometheus text on /metrics, both closed to play kill -9.
 */
class BrokerProberTest {
    private static final String METRICS = """
            # TYPE kafka_server_replicamanager_leadercount gauge
            kafka_server_replicamanager_leadercount 3.0
            kafka_server_brokertopicmetrics_messagesin_total{topic="demo"} 500.0
            process_resident_memory_bytes 1.5E8
            """;

    private Vertx vertx;
    private BrokerProber prober;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        prober = new BrokerProber(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        prober.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aListeningBrokerWithMetricsIsReachableAndItsScrapeIsParsed() throws Exception {
        NetServer kafka = listen();
        HttpServer metrics = vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(METRICS))
                .listen(0, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Node broker = new Node(2, "localhost", kafka.actualPort(), null);

        BrokerProber.Result up = probe(broker, "http://localhost:" + metrics.actualPort());
        assertTrue(up.reachable(), String.valueOf(up.connectError()));
        BrokerMetrics m = up.metrics();
        assertNotNull(m);
        assertEquals(3.0, m.leaderCount());
        assertEquals(1.5E8, m.rssBytes());
        assertEquals(Map.of("demo", 500.0), m.messagesIn());

        metrics.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        BrokerProber.Result noMetrics = probe(broker, "http://localhost:" + metrics.actualPort());
        assertTrue(noMetrics.reachable(), "a failed scrape is a metrics problem, not a broker down");
        assertTrue(noMetrics.listening());
        assertNotNull(noMetrics.scrapeError(), "the scrape's own error is kept for the page");
        assertEquals(Boolean.FALSE, noMetrics.scraped());
        assertNull(noMetrics.metrics());
        kafka.close();
    }

    @Test
    void withoutAMetricsListenerTheKafkaPortDecides() throws Exception {
        NetServer kafka = listen();
        Node broker = new Node(1, "localhost", kafka.actualPort(), null);
        BrokerProber.Result up = probe(broker, null);
        assertTrue(up.reachable());
        assertNull(up.scraped());
        assertNull(up.metrics(), "Apache Kafka: no metrics, still up");

        kafka.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        BrokerProber.Result refused = probe(broker, null);
        assertFalse(refused.reachable());
        assertEquals(1, refused.brokerId());
        assertTrue(refused.connectError().toLowerCase(java.util.Locale.ROOT).contains("refused"), refused.connectError());
    }

    private NetServer listen() throws Exception {
        return vertx.createNetServer().connectHandler(socket -> { })
                .listen(0, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private BrokerProber.Result probe(Node broker, String metricsUrl) throws Exception {
        return prober.probe(broker, metricsUrl).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
