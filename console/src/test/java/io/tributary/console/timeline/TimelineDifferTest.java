package io.tributary.console.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineDifferTest {
    private static final TopicPartition DEMO_1 = new TopicPartition("demo", 1);
    private static final Map<Integer, BrokerState> ALL_UP = Map.of(1, BrokerState.UP, 2, BrokerState.UP, 3, BrokerState.UP);

    private static Observation at(long ms, int controller, Map<Integer, BrokerState> brokers, int leader, int epoch, List<Integer> isr) {
        return new Observation(ms, controller, brokers, Map.of(DEMO_1, new PartitionState(leader, epoch, List.of(1, 2, 3), isr)));
    }

    @Test
    void theFirstObservationIsTheBaseline() {
        assertEquals(List.of(), new TimelineDiffer().next(at(0, 1, ALL_UP, 2, 1, List.of(1, 2, 3))));
    }

    @Test
    void killedLeaderUnreachableThenLeftThenNewLeaderWithDurationFromTheFirstSignOfLoss() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(1_000, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        List<TimelineEvent> unreachable = differ.next(at(1_100, 1,
                Map.of(1, BrokerState.UP, 2, BrokerState.UNREACHABLE, 3, BrokerState.UP), 2, 1, List.of(1, 2, 3)));
        assertEquals(List.of(EventKind.BROKER_UNREACHABLE), unreachable.stream().map(TimelineEvent::kind).toList());
        assertEquals(2, unreachable.get(0).broker());

        List<TimelineEvent> left = differ.next(at(1_350, 1,
                Map.of(1, BrokerState.UP, 2, BrokerState.DOWN, 3, BrokerState.UP), 2, 1, List.of(1, 2, 3)));
        assertEquals(List.of(EventKind.BROKER_LEFT), left.stream().map(TimelineEvent::kind).toList());

        List<TimelineEvent> elected = differ.next(at(1_512, 1,
                Map.of(1, BrokerState.UP, 2, BrokerState.DOWN, 3, BrokerState.UP), 3, 2, List.of(1, 3)));
        TimelineEvent leader = elected.stream().filter(e -> e.kind() == EventKind.LEADER).findFirst().orElseThrow();
        assertEquals(3, leader.broker());
        assertEquals(2, leader.from());
        assertEquals(412L, leader.durationMs(), "from the unreachable probe at 1100 to the new leader at 1512");
        assertEquals("demo-1: leader 2 → 3 after 412 ms", leader.text());
        TimelineEvent shrink = elected.stream().filter(e -> e.kind() == EventKind.ISR_SHRINK).findFirst().orElseThrow();
        assertEquals(2, shrink.broker());
        assertTrue(shrink.text().contains("[1,2,3] → [1,3]"), shrink.text());
    }

    @Test
    void leaderlessPartitionsCountFromNoLeaderAndOfflineIsAnEvent() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, 2, 1, List.of(2)));
        List<TimelineEvent> offline = differ.next(at(250, 1, ALL_UP, -1, 1, List.of(2)));
        assertEquals(EventKind.OFFLINE, offline.get(0).kind());
        List<TimelineEvent> back = differ.next(at(1_250, 1, ALL_UP, 3, 2, List.of(3)));
        TimelineEvent leader = back.stream().filter(e -> e.kind() == EventKind.LEADER).findFirst().orElseThrow();
        assertEquals(1_000L, leader.durationMs());
        assertEquals(2, leader.from(), "the last leader it had");
        assertEquals("demo-1: leader 2 → 3 after 1000 ms", leader.text());
    }

    @Test
    void aNewTopicElectingItsFirstLeadersIsNoLeaderChange() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, -1, 0, List.of()));
        assertEquals(List.of(), differ.next(at(250, 1, ALL_UP, 2, 1, List.of(2, 1, 3))));
    }

    @Test
    void aControlledMoveBetweenLiveBrokersHasNoDuration() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        TimelineEvent leader = differ.next(at(250, 1, ALL_UP, 3, 2, List.of(1, 2, 3))).get(0);
        assertEquals(EventKind.LEADER, leader.kind());
        assertNull(leader.durationMs());
        assertEquals("demo-1: leader 2 → 3", leader.text());
    }

    @Test
    void aLeaderThatWasOnlyUnreachableForAMomentStartsNoLaterClock() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        differ.next(at(100, 1, Map.of(1, BrokerState.UP, 2, BrokerState.UNREACHABLE, 3, BrokerState.UP), 2, 1, List.of(1, 2, 3)));
        List<TimelineEvent> reachable = differ.next(at(1_100, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        assertEquals(List.of(EventKind.BROKER_REACHABLE), reachable.stream().map(TimelineEvent::kind).toList());
        // Much later, a controlled move: no leaderless time carried over from the blip.
        TimelineEvent leader = differ.next(at(60_000, 1, ALL_UP, 3, 2, List.of(1, 2, 3))).get(0);
        assertNull(leader.durationMs());
    }

    @Test
    void rejoinExpandsTheIsrNamingTheReplicaAndControllerChangesAreEvents() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, Map.of(1, BrokerState.UP, 2, BrokerState.DOWN, 3, BrokerState.UP), 3, 2, List.of(1, 3)));
        List<TimelineEvent> events = differ.next(at(500, 3, ALL_UP, 3, 2, List.of(1, 3, 2)));
        assertEquals(List.of(EventKind.BROKER_JOINED, EventKind.CONTROLLER, EventKind.ISR_EXPAND),
                events.stream().map(TimelineEvent::kind).toList());
        assertEquals(2, events.get(2).broker());
        assertEquals("controller 1 → 3", events.get(1).text());
        assertTrue(events.get(0).seq() < events.get(1).seq() && events.get(1).seq() < events.get(2).seq());
    }

    @Test
    void aLaggingMetadataAnswerWithAnOlderEpochIsNoLeaderChange() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        assertEquals(EventKind.LEADER, differ.next(at(250, 1, ALL_UP, 3, 2, List.of(1, 3))).get(0).kind());
        // A broker whose cache lags still says leader 2 at epoch 1, ISR [1,2,3]: no "3 → 2", no ISR expand.
        assertEquals(List.of(), differ.next(at(500, 1, ALL_UP, 2, 1, List.of(1, 2, 3))));
        // Same epoch, another leader: also an old answer.
        assertEquals(List.of(), differ.next(at(750, 1, ALL_UP, 1, 2, List.of(1, 3))));
        // And the fresh answer after it changes nothing either: "2 → 3" is not repeated.
        assertEquals(List.of(), differ.next(at(1_000, 1, ALL_UP, 3, 2, List.of(1, 3))));
        assertEquals(List.of(EventKind.LEADER), differ.next(at(1_250, 1, ALL_UP, 1, 3, List.of(1, 3))).stream()
                .map(TimelineEvent::kind).toList());
    }

    @Test
    void observationsGoingBackInTimeAreRefusedRatherThanMeasuredNegative() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(1_000, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> differ.next(at(999, 1, ALL_UP, 2, 1, List.of(1, 2, 3))));
    }

    @Test
    void theUnreachableEventNamesTheProbesError() {
        TimelineDiffer differ = new TimelineDiffer();
        differ.next(at(0, 1, ALL_UP, 2, 1, List.of(1, 2, 3)));
        Map<Integer, BrokerState> twoRefuses = Map.of(1, BrokerState.UP, 2, BrokerState.UNREACHABLE, 3, BrokerState.UP);
        TimelineEvent unreachable = differ.next(new Observation(100, 1, twoRefuses,
                Map.of(DEMO_1, new PartitionState(2, 1, List.of(1, 2, 3), List.of(1, 2, 3))),
                Map.of(2, "Connection refused: localhost/127.0.0.1:9093"))).get(0);
        assertTrue(unreachable.text().startsWith("broker 2 unreachable (Connection refused: localhost/127.0.0.1:9093)"),
                unreachable.text());
    }

    @Test
    void internalTopicEventsHaveTheirOwnCapacityAndNeverPushOutTheShownOnes() {
        Timeline timeline = new Timeline(2);
        timeline.add(new TimelineEvent(1, 1, EventKind.CONTROLLER, null, -1, 1, -1, null, "shown"));
        for (int i = 2; i <= 5; i++) {
            timeline.add(new TimelineEvent(i, i, EventKind.LEADER, "__consumer_offsets", i, 1, 2, null, "internal" + i), true);
        }
        assertEquals(List.of("internal5", "internal4", "shown"), timeline.newestFirst().stream().map(TimelineEvent::text).toList());
        assertTrue(timeline.isAboutInternalTopic(timeline.newestFirst().get(0)));
    }

    @Test
    void theTimelineKeepsTheNewestEventsFirstUpToItsCapacity() {
        Timeline timeline = new Timeline(2);
        for (int i = 1; i <= 3; i++) {
            timeline.add(new TimelineEvent(i, i, EventKind.CONTROLLER, null, -1, 1, -1, null, "e" + i));
        }
        assertEquals(List.of("e3", "e2"), timeline.newestFirst().stream().map(TimelineEvent::text).toList());
    }
}
