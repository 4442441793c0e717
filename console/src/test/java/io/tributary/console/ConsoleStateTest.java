package io.tributary.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.console.timeline.BrokerState;
import io.tributary.console.timeline.EventKind;
import io.tributary.console.timeline.TimelineEvent;
import io.tributary.console.watch.BrokerProber;
import io.tributary.console.watch.ClusterView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How probe results and Metadata views turn into broker states and events. */
class ConsoleStateTest {
    private static final Node B1 = new Node(1, "localhost", 9092, null);
    private static final Node B2 = new Node(2, "localhost", 9093, null);

    private final List<TimelineEvent> events = new ArrayList<>();
    private final ConsoleState state = new ConsoleState(100, events::addAll);

    private static ClusterView view() {
        PartitionInfo demo0 = new PartitionInfo("demo", 0, B2, 1, List.of(B1, B2), List.of(B1, B2), List.of());
        PartitionInfo offsets0 = new PartitionInfo("__consumer_offsets", 0, B1, 1, List.of(B1), List.of(B1), List.of());
        return new ClusterView(0, "c", 1, Map.of(1, B1, 2, B2),
                Map.of("demo", List.of(demo0), "__consumer_offsets", List.of(offsets0)), Set.of("__consumer_offsets"));
    }

    private static BrokerProber.Result listening(int id) {
        return new BrokerProber.Result(id, true, null, null, null, null);
    }

    private static BrokerProber.Result refused(int id) {
        return new BrokerProber.Result(id, false, "Connection refused: localhost/127.0.0.1:9093", null, null, null);
    }

    @Test
    void aLateResultOfAnOlderProbeIsDropped() {
        state.onClusterView(view());
        state.onProbe(listening(2), 2_000);
        // A probe sent at 1000 that timed out only now: older than what is applied, so no unreachable/reachable pair.
        state.onProbe(refused(2), 1_000);
        assertEquals(BrokerState.UP, state.brokerState(2));
        assertEquals(List.of(), events);

        state.onProbe(refused(2), 3_000);
        assertEquals(BrokerState.UNREACHABLE, state.brokerState(2));
        assertEquals(Set.of(2), state.unreachableBrokers(), "the detail poller skips it");
        assertEquals(List.of(EventKind.BROKER_UNREACHABLE), events.stream().map(TimelineEvent::kind).toList());
        assertTrue(events.get(0).text().contains("Connection refused"), events.get(0).text());
    }

    @Test
    void aFailingScrapeIsAMetricsErrorNotABrokerDown() {
        state.onClusterView(view());
        state.onProbe(new BrokerProber.Result(2, true, null, false, null, "GET http://localhost:9194/metrics answered 500"), 1_000);
        assertEquals(BrokerState.UP, state.brokerState(2));
        assertEquals("GET http://localhost:9194/metrics answered 500", state.metricsErrorOf(2));
        assertEquals(List.of(), events, "no unreachable event, no leaderless clock");

        state.onProbe(new BrokerProber.Result(2, true, null, true, null, null), 2_000);
        assertNull(state.metricsErrorOf(2));
    }

    @Test
    void internalTopicEventsAreFlaggedFromTheMetadata() {
        state.onClusterView(view());
        PartitionInfo demo0 = new PartitionInfo("demo", 0, B1, 2, List.of(B1, B2), List.of(B1, B2), List.of());
        PartitionInfo offsets0 = new PartitionInfo("__consumer_offsets", 0, B2, 2, List.of(B1, B2), List.of(B1), List.of());
        state.onClusterView(new ClusterView(0, "c", 1, Map.of(1, B1, 2, B2),
                Map.of("demo", List.of(demo0), "__consumer_offsets", List.of(offsets0)), Set.of("__consumer_offsets")));
        Map<String, Boolean> internalByTopic = new java.util.TreeMap<>();
        state.timeline().newestFirst().forEach(e -> internalByTopic.put(e.topic(), state.timeline().isAboutInternalTopic(e)));
        assertEquals(Map.of("demo", false, "__consumer_offsets", true), internalByTopic);
    }

    @Test
    void aTopicDeletedAndCreatedAgainStartsAfreshRatherThanReadingAsAStaleAnswer() {
        state.onClusterView(withDemo("id-1", B2, 5));
        // Recreated under the same name: new id, epochs from 0 again, another leader. Not a leader change, and not
        // ignored as an old answer either.
        state.onClusterView(withDemo("id-2", B1, 0));
        state.onClusterView(withDemo("id-2", B1, 0));
        assertEquals(List.of(), events);
        state.onClusterView(withDemo("id-2", B2, 1));
        assertEquals(List.of(EventKind.LEADER), events.stream().map(TimelineEvent::kind).toList());
        assertEquals("demo-0: leader 1 → 2", events.get(0).text());
    }

    private static ClusterView withDemo(String topicId, Node leader, int epoch) {
        PartitionInfo demo0 = new PartitionInfo("demo", 0, leader, epoch, List.of(B1, B2), List.of(B1, B2), List.of());
        return new ClusterView(0, "c", 1, Map.of(1, B1, 2, B2), Map.of("demo", List.of(demo0)), Set.of(), Map.of("demo", topicId));
    }
}
