package io.tributary.broker.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Broker;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.BrokerConfigException;
import io.tributary.broker.testing.LocalCluster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /health/ready over real HTTP while a real broker starts: it answers 503 naming what start-up waits for
 * (ZooKeeper that is not up yet: the broker waits for its session), and 200 once the broker serves. No timing is
 * asserted: ZooKeeper only starts after the 503 was seen. Also: a metrics.listener that cannot be used stops
 * start-up naming the setting, and metrics.listener=none serves nothing.
 */
class BrokerStartupHealthTest {

    @TempDir
    Path dir;

    @Test
    void readyIs503WhileWaitingForZooKeeperAnd200OnceServing() throws Exception {
        int zkPort = freePort();
        int metricsPort = freePort();
        String url = "http://127.0.0.1:" + metricsPort;
        try (TestingServer zookeeper = new TestingServer(zkPort, dir.resolve("zk").toFile(), false)) {
            Properties props = brokerProperties("127.0.0.1:" + zkPort + "/health-test", url);
            CompletableFuture<Broker> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return Broker.start(BrokerConfig.from(props));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                MetricsScrape.Response[] ready = new MetricsScrape.Response[1];
                await("/health/ready to answer while the broker waits for ZooKeeper").atMost(Duration.ofSeconds(60))
                        .ignoreException(ConnectException.class)
                        .until(() -> (ready[0] = MetricsScrape.get(url + "/health/ready")) != null);
                assertEquals(503, ready[0].status(), ready[0].body());
                assertTrue(ready[0].body().startsWith("{\"status\":\"DOWN\",\"broker\":1,\"checks\":{\"zookeeper\":\"DOWN\""),
                        ready[0].body());
                assertTrue(ready[0].body().contains("\"reasons\":[\"zookeeper: not connected\""), ready[0].body());
                assertFalse(starting.isDone(), "the broker cannot have started without ZooKeeper");
                MetricsScrape.Response live = MetricsScrape.get(url + "/health/live");
                assertEquals(200, live.status());
                assertEquals("{\"status\":\"UP\",\"broker\":1}", live.body());

                zookeeper.start();
                Broker broker = starting.get(120, TimeUnit.SECONDS);
                MetricsScrape.Response up = MetricsScrape.get(url + "/health/ready");
                assertEquals(200, up.status(), up.body());
                assertTrue(up.body().startsWith("{\"status\":\"UP\",\"broker\":1,"), up.body());

                // ZooKeeper goes away under a serving broker: not ready, session suspended; back: ready again.
                zookeeper.stop();
                await("/health/ready to say ZooKeeper is gone").atMost(Duration.ofSeconds(60)).until(() ->
                        MetricsScrape.get(url + "/health/ready").body().contains("\"reasons\":[\"zookeeper: not connected\"]"));
                String gone = MetricsScrape.scrape(url);
                assertEquals(0, MetricsScrape.value(gone, "kafka_server_sessionexpirelistener_sessionstate", "state=\"connected\""));
                assertTrue(MetricsScrape.value(gone, "kafka_server_sessionexpirelistener_zookeeperdisconnects_total") >= 1, gone);
                zookeeper.restart();
                await("/health/ready 200 once ZooKeeper is back").atMost(Duration.ofSeconds(60)).ignoreException(ConnectException.class)
                        .until(() -> MetricsScrape.get(url + "/health/ready").status() == 200);
                assertEquals(1, MetricsScrape.value(MetricsScrape.scrape(url), "kafka_server_sessionexpirelistener_sessionstate",
                        "state=\"connected\""));

                broker.close();
                assertEquals(List.of("shutting down"), broker.metrics().readiness().status().reasons());
                assertThrows(ConnectException.class, () -> MetricsScrape.get(url + "/health/live"),
                        "the metrics listener stops with the broker");
            } finally {
                starting.thenAccept(Broker::close);
            }
        }
    }

    @Test
    void aMetricsListenerThatCannotBeBoundStopsStartUpNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String url = "http://127.0.0.1:" + taken.getLocalPort();
            // ZooKeeper is never reached: the metrics listener is bound first, and its failure ends start-up.
            Exception e = assertThrows(Exception.class, () -> Broker.start(BrokerConfig.from(
                    brokerProperties("127.0.0.1:" + freePort() + "/nowhere", url))));
            assertTrue(e.getMessage().contains("metrics.listener=" + url), e.getMessage());
        }
    }

    @Test
    void aMalformedMetricsListenerIsRefusedNamingTheSetting() {
        for (String bad : List.of("localhost:9192", "https://localhost:9192", "http://localhost:70000", "off")) {
            BrokerConfigException e = assertThrows(BrokerConfigException.class,
                    () -> BrokerConfig.from(brokerProperties("127.0.0.1:2181", bad)));
            assertTrue(e.getMessage().contains("metrics.listener") && e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals("http://localhost:9194", BrokerConfig.from(brokerPropertiesWithout("3")).metricsListener().toString(),
                "the default is http://localhost:<9191 + broker.id>");
    }

    @Test
    void metricsListenerNoneServesNothingAndDescribeConfigsSaysNone() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1, dir, Map.of("metrics.listener", "none"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            Broker broker = cluster.broker(1);
            assertEquals("none", cluster.metricsUrl(1));
            assertFalse(broker.metrics().isEnabled());
            assertTrue(broker.metrics().registry().isEmpty());
            assertEquals("none", admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next().get("metrics.listener").value());
        }
    }

    private Properties brokerProperties(String zookeeperConnect, String metricsListener) {
        Properties props = brokerPropertiesWithout("1");
        props.setProperty("zookeeper.connect", zookeeperConnect);
        props.setProperty("metrics.listener", metricsListener);
        return props;
    }

    private Properties brokerPropertiesWithout(String brokerId) {
        Properties props = new Properties();
        props.setProperty("broker.id", brokerId);
        props.setProperty("listeners", "PLAINTEXT://127.0.0.1:0");
        props.setProperty("log.dirs", dir.resolve("broker-" + brokerId).toString());
        props.setProperty("zookeeper.connect", "127.0.0.1:2181/health-test");
        props.setProperty("zookeeper.connection.timeout.ms", "120000");
        props.setProperty("offsets.topic.replication.factor", "1");
        return props;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
