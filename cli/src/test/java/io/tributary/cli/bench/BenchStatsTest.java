package io.tributary.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchStatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        BenchStats s = BenchStats.of(List.of(7L, 3L, 5L, 100L, 4L));
        assertEquals(5, s.median());
        assertEquals(3, s.min());
        assertEquals(100, s.max());
        assertEquals(5, s.runs());
        assertEquals("median 5 ms (min 3, max 100, 5 runs)", s.describe("ms"));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(4.5, BenchStats.of(List.of(6, 3, 4, 5)).median());
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> BenchStats.of(List.of()));
    }
}
