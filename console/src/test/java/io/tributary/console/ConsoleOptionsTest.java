package io.tributary.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsoleOptionsTest {

    @Test
    void defaultsAndOverrides() {
        assertEquals(new ConsoleOptions("localhost:9092", 8080, "localhost"), ConsoleOptions.parse());
        assertEquals(new ConsoleOptions("a:1,b:2", 0, "localhost"), ConsoleOptions.parse("--bootstrap-server", "a:1,b:2", "--port", "0"));
    }

    @Test
    void badArgumentsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleOptions.parse("--port", "http"))
                .getMessage().contains("--port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleOptions.parse("--bootstrap-server"))
                .getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleOptions.parse("--what"))
                .getMessage().contains("unknown argument '--what'"));
        for (String bad : new String[] {"localhost", "localhost:", ":9092", "a:1,", "a:99999", "a:x"}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleOptions.parse("--bootstrap-server", bad))
                    .getMessage().contains("--bootstrap-server must be host:port"), bad);
        }
    }
}
