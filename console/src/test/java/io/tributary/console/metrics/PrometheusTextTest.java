package io.tributary.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    /** Shaped as Micrometer's PrometheusMeterRegistry writes a scrape (HELP/TYPE lines, _total counters). */
    static final String SCRAPE = """
            # HELP kafka_server_brokertopicmetrics_messagesin_total Messages appended by clients
            # TYPE kafka_server_brokertopicmetrics_messagesin_total counter
            kafka_server_brokertopicmetrics_messagesin_total{topic="demo"} 1200.0
            kafka_server_brokertopicmetrics_messagesin_total{topic="orders"} 30.0
            # TYPE kafka_server_brokertopicmetrics_bytesin_total counter
            kafka_server_brokertopicmetrics_bytesin_total{topic="demo"} 65536.0
            kafka_server_brokertopicmetrics_bytesout_total{topic="demo"} 1024.0
            # TYPE kafka_server_replicamanager_leadercount gauge
            kafka_server_replicamanager_leadercount 4.0
            kafka_server_replicamanager_partitioncount 12.0
            kafka_server_replicamanager_underreplicatedpartitions 1.0
            kafka_controller_kafkacontroller_activecontrollercount 1.0
            kafka_log_log_size{partition="0",topic="demo"} 4096.0
            kafka_consumergroup_lag{consumergroup="g \\"quoted\\" \\\\ back",partition="2",topic="demo"} 17.0
            process_resident_memory_bytes 2.1474836E8
            jvm_gc_pause_seconds_bucket{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation",le="+Inf"} 3
            http_requests_total{method="post",code="200"} 1027 1395066363000
            weird_metric NaN
            this line is not a sample
            """;

    @Test
    void readsNamesLabelsAndValuesAndSkipsCommentsAndGarbage() {
        List<Sample> samples = PrometheusText.parse(SCRAPE);
        assertEquals(14, samples.size(), samples.toString());
        Sample first = samples.get(0);
        assertEquals("kafka_server_brokertopicmetrics_messagesin_total", first.name());
        assertEquals(Map.of("topic", "demo"), first.labels());
        assertEquals(1200.0, first.value());
        Sample leaders = samples.stream().filter(s -> s.name().equals(MetricNames.LEADER_COUNT)).findFirst().orElseThrow();
        assertEquals(Map.of(), leaders.labels());
        assertEquals(4.0, leaders.value());
    }

    @Test
    void unescapesLabelValuesAndReadsExponentsInfinityTimestampsAndNaN() {
        List<Sample> samples = PrometheusText.parse(SCRAPE);
        Sample lag = samples.stream().filter(s -> s.name().equals("kafka_consumergroup_lag")).findFirst().orElseThrow();
        assertEquals("g \"quoted\" \\ back", lag.label("consumergroup"));
        assertEquals("2", lag.label("partition"));
        assertEquals(17.0, lag.value());
        assertEquals(2.1474836E8, samples.stream().filter(s -> s.name().equals(MetricNames.RSS)).findFirst().orElseThrow().value());
        Sample bucket = samples.stream().filter(s -> s.name().equals("jvm_gc_pause_seconds_bucket")).findFirst().orElseThrow();
        assertEquals("+Inf", bucket.label("le"));
        assertEquals("end of minor GC", bucket.label("action"));
        Sample withTimestamp = samples.stream().filter(s -> s.name().equals("http_requests_total")).findFirst().orElseThrow();
        assertEquals(1027.0, withTimestamp.value());
        assertTrue(Double.isNaN(samples.stream().filter(s -> s.name().equals("weird_metric")).findFirst().orElseThrow().value()));
    }

    @Test
    void aLineThatDoesNotParseIsNull() {
        assertNull(PrometheusText.parseLine("name{unterminated=\"x} 1"));
        assertNull(PrometheusText.parseLine("name 12abc"));
        assertNull(PrometheusText.parseLine("{topic=\"x\"} 1"));
    }

    @Test
    void brokerMetricsTakeTheContractsNames() {
        BrokerMetrics m = BrokerMetrics.from(PrometheusText.parse(SCRAPE), 1_000);
        assertEquals(4.0, m.leaderCount());
        assertEquals(12.0, m.partitionCount());
        assertEquals(1.0, m.underReplicated());
        assertEquals(1.0, m.activeController());
        assertEquals(2.1474836E8, m.rssBytes());
        assertNull(m.offlinePartitions(), "not in the scrape");
        assertEquals(Map.of("demo", 1200.0, "orders", 30.0), m.messagesIn());
        assertEquals(Map.of("demo", 65536.0), m.bytesIn());
    }
}
