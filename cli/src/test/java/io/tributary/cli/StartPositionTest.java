package io.tributary.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StartPositionTest {

    @Test
    void defaultIsTheEndAndFromBeginningTheStart() {
        assertEquals(new StartPosition.End(), StartPosition.of(false, null, null));
        assertEquals(new StartPosition.Beginning(), StartPosition.of(true, null, 3));
    }

    @Test
    void offsetWordsAndNumbers() {
        assertEquals(new StartPosition.Beginning(), StartPosition.of(false, "earliest", null));
        assertEquals(new StartPosition.End(), StartPosition.of(false, "latest", null));
        assertEquals(new StartPosition.At(42), StartPosition.of(false, "42", 0));
    }

    @Test
    void numericOffsetNeedsAPartition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StartPosition.of(false, "42", null));
        assertEquals("--offset 42 needs --partition: an offset belongs to one partition", e.getMessage());
    }

    @Test
    void badOffsetsAreNamed() {
        assertEquals("--offset must be earliest, latest or a number >= 0, not 'soon'",
                assertThrows(IllegalArgumentException.class, () -> StartPosition.of(false, "soon", 0)).getMessage());
        assertEquals("--offset must be earliest, latest or a number >= 0, not '-1'",
                assertThrows(IllegalArgumentException.class, () -> StartPosition.of(false, "-1", 0)).getMessage());
        assertEquals("--from-beginning and --offset cannot be used together",
                assertThrows(IllegalArgumentException.class, () -> StartPosition.of(true, "5", 0)).getMessage());
    }
}
