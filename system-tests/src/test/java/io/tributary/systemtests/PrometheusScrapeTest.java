package io.tributary.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.systemtests.harness.ClusterExtension;
import io.tributary.systemtests.harness.ClusterProcesses;
import io.tributary.systemtests.harness.PrometheusProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) scrapes the three broker processes every second, and
 * its query API sees what the cluster does: the partition count of a new topic, every partition under-replicated
 * once a broker is killed with SIGKILL, and none once it is back. Prometheus marks a dead target's series stale
 * at its first failed scrape, so the sums cover the live brokers only, as an operator's dashboard would.
 */
class PrometheusScrapeTest {

    private static final String TOPIC = "scraped";
    private static final int PARTITIONS = 6;
    private static final int REPLICATION_FACTOR = 3;
    private static final Duration WAIT = Duration.ofSeconds(45);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3)
            // A follower that is gone leaves the ISR at the next check (every half of this), not after 30 s.
            .brokerSetting("replica.lag.time.max.ms", "4000"));

    private static PrometheusProcess prometheus;

    @BeforeAll
    static void startPrometheus() {
        ClusterProcesses c = cluster.get();
        prometheus = PrometheusProcess.start(c.workDir().resolve("prometheus"), c.brokerIds().stream().sorted()
                .map(id -> URI.create(c.metricsUrl(id)).getAuthority()).toList());
        awaitQuery("sum(up{job=\"tributary\"})", 3);
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void partitionCountsAndUnderReplicatedPartitionsFollowAKilledBroker() throws Exception {
        ClusterProcesses c = cluster.get();
        c.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) REPLICATION_FACTOR))).all().get(30, TimeUnit.SECONDS);
        c.awaitLeaders(TOPIC, PARTITIONS);

        awaitQuery("sum(kafka_server_replicamanager_partitioncount)", PARTITIONS * REPLICATION_FACTOR);
        awaitQuery("sum(kafka_server_replicamanager_leadercount)", PARTITIONS);
        awaitQuery("sum(kafka_controller_kafkacontroller_activecontrollercount)", 1);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", 0);

        // With RF=3 on 3 brokers every partition has a replica on the killed broker.
        int victim = c.awaitLeader(TOPIC, 0);
        c.kill(victim);
        awaitQuery("sum(up{job=\"tributary\"})", 2);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", PARTITIONS);
        awaitQuery("sum(kafka_server_replicamanager_leadercount)", PARTITIONS);

        c.start(victim);
        awaitQuery("sum(up{job=\"tributary\"})", 3);
        awaitQuery("sum(kafka_server_replicamanager_underreplicatedpartitions)", 0);
        awaitQuery("sum(kafka_server_replicamanager_partitioncount)", PARTITIONS * REPLICATION_FACTOR);
    }

    private static void awaitQuery(String promql, double expected) {
        double[] last = {Double.NaN};
        try {
            await(promql + " == " + expected + " in Prometheus").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last[0] = prometheus.query(promql).orElse(Double.NaN);
                        return last[0] == expected;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(promql + " stayed at " + last[0] + ", expected " + expected + "\n"
                    + cluster.get().diagnostics() + "\n----- prometheus -----\n" + prometheus.output(), e);
        }
        assertEquals(expected, last[0]);
    }
}
