package io.tributary.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.client.common.TopicPartition;
import io.tributary.console.watch.DetailView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetRatesTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    private static DetailView at(long ms, Map<TopicPartition, Long> latest) {
        return new DetailView(ms, Map.of(), latest, Map.of(), Map.of(), List.of(), Map.of());
    }

    @Test
    void recordsPerSecondPerTopicFromTheGrowthOfLatestOffsets() {
        Map<String, Double> rates = OffsetRates.between(at(1_000, Map.of(A0, 100L, A1, 0L, B0, 50L)),
                at(3_000, Map.of(A0, 300L, A1, 100L, B0, 40L)));
        assertEquals(Map.of("a", 150.0, "b", 0.0), rates, "b's offset went down (recreated): nothing counted");
    }

    @Test
    void aValueCarriedOverWhileTheLeaderDidNotAnswerMakesNoRate() {
        DetailView before = at(1_000, Map.of(A0, 100L, B0, 50L));
        // b-0's leader was killed: its latest offset is the last known one, not an answer, and must not read as 0/s.
        DetailView during = new DetailView(3_000, Map.of(), Map.of(A0, 300L, B0, 50L), Map.of(), Map.of(), List.of(),
                Map.of(), java.util.Set.of(A0));
        assertEquals(Map.of("a", 100.0), OffsetRates.between(before, during));
        assertEquals(Map.of("a", 100.0), OffsetRates.between(during, at(5_000, Map.of(A0, 500L, B0, 90L))),
                "nor does the poll after it, measured from the carried-over value");
    }

    @Test
    void noRateWithoutTwoPolls() {
        assertEquals(Map.of(), OffsetRates.between(DetailView.EMPTY, at(1_000, Map.of(A0, 5L))));
        assertEquals(Map.of(), OffsetRates.between(at(1_000, Map.of(A0, 5L)), at(1_000, Map.of(A0, 9L))));
    }
}
