package io.tributary.zk;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomIdsTest {

    @Test
    void textFormIsKafkasUrlSafeBase64OfTheSixteenBytes() {
        // Kafka's Uuid(0, 1) prints as AAAAAAAAAAAAAAAAAAAAAQ.
        assertEquals("AAAAAAAAAAAAAAAAAAAAAQ", RandomIds.toText(new UUID(0, 1)));
        UUID uuid = new UUID(0xfbffffffffffffffL, 0x0123456789abcdefL);
        String text = RandomIds.toText(uuid);
        assertEquals("-_________8BI0VniavN7w", text);
        assertEquals(uuid, RandomIds.fromText(text));
    }

    @Test
    void generatedIdsAreDistinctAndNeverStartWithDash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String id = RandomIds.next();
            assertEquals(22, id.length(), id);
            assertFalse(id.startsWith("-"), id);
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            assertTrue(seen.add(id), "duplicate " + id);
        }
    }

    @Test
    void badTextIsRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomIds.fromText("short"));
        assertTrue(e.getMessage().contains("short"));
    }
}
