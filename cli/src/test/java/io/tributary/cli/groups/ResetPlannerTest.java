package io.tributary.cli.groups;

import io.tributary.client.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** New offsets of a reset: every target, and the clamping into [log start, log end] that Kafka's tool applies. */
class ResetPlannerTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    /** p0: log 100..500, committed 300, a record at the time from 250; p1: log 0..40, no commit, nothing that late. */
    private static final Map<TopicPartition, PartitionOffsets> LOGS = Map.of(
            P0, new PartitionOffsets(100, 500, OptionalLong.of(300), OptionalLong.of(250)),
            P1, new PartitionOffsets(0, 40, OptionalLong.empty(), OptionalLong.empty()));

    private final List<String> warnings = new ArrayList<>();

    private Map<TopicPartition, Long> plan(ResetTarget target) {
        return ResetPlanner.plan(target, LOGS, warnings::add);
    }

    @Test
    void earliestAndLatestAreTheLogEnds() {
        assertEquals(Map.of(P0, 100L, P1, 0L), plan(new ResetTarget.Earliest()));
        assertEquals(Map.of(P0, 500L, P1, 40L), plan(new ResetTarget.Latest()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void anOffsetOutsideTheLogIsClampedToItsNearestEndWithAWarning() {
        assertEquals(Map.of(P0, 100L, P1, 7L), plan(new ResetTarget.ToOffset(7)));
        assertEquals(List.of("New offset (7) is lower than earliest offset for topic partition orders-0. Value will be set to 100"), warnings);
        warnings.clear();
        assertEquals(Map.of(P0, 500L, P1, 40L), plan(new ResetTarget.ToOffset(1_000_000)));
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("higher than latest"), warnings.get(0));
    }

    @Test
    void shiftByMovesTheCommittedOffsetAndNeedsOne() {
        Map<TopicPartition, PartitionOffsets> committedOnly = Map.of(P0, LOGS.get(P0));
        assertEquals(Map.of(P0, 290L), ResetPlanner.plan(new ResetTarget.ShiftBy(-10), committedOnly, warnings::add));
        assertEquals(Map.of(P0, 100L), ResetPlanner.plan(new ResetTarget.ShiftBy(-1_000), committedOnly, warnings::add));
        assertEquals(Map.of(P0, 500L), ResetPlanner.plan(new ResetTarget.ShiftBy(Long.MAX_VALUE), committedOnly, warnings::add),
                "a shift past Long.MAX_VALUE saturates and clamps instead of wrapping");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(new ResetTarget.ShiftBy(1)));
        assertTrue(e.getMessage().contains("orders-1") && e.getMessage().contains("no committed offset"), e.getMessage());
    }

    @Test
    void aTimeBeyondTheLastRecordFallsBackToTheLogEnd() {
        assertEquals(Map.of(P0, 250L, P1, 40L), plan(new ResetTarget.ToTimestamp(1_700_000_000_000L)));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("Partition 1 from topic orders has no record at or after"), warnings.get(0));
    }

    @Test
    void currentKeepsTheCommittedOffsetClampedIntoTheLog() {
        Map<TopicPartition, PartitionOffsets> truncated = Map.of(P0, new PartitionOffsets(400, 500, OptionalLong.of(300), OptionalLong.empty()));
        assertEquals(Map.of(P0, 400L), ResetPlanner.plan(new ResetTarget.Current(), truncated, warnings::add));
    }
}
