package io.tributary.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyedLineParserTest {

    @Test
    void withoutKeyParsingTheWholeLineIsTheValue() {
        KeyedLineParser.KeyValue kv = new KeyedLineParser(false, ":").parse("a:b:c", 1);
        assertNull(kv.key());
        assertEquals("a:b:c", kv.value());
    }

    @Test
    void splitsAtTheFirstSeparatorOnly() {
        KeyedLineParser.KeyValue kv = new KeyedLineParser(true, ":").parse("user-1:a:b", 1);
        assertEquals("user-1", kv.key());
        assertEquals("a:b", kv.value());
    }

    @Test
    void multiCharacterSeparatorAndEmptyParts() {
        KeyedLineParser parser = new KeyedLineParser(true, "=>");
        assertEquals(new KeyedLineParser.KeyValue("k", "v=>w"), parser.parse("k=>v=>w", 1));
        assertEquals(new KeyedLineParser.KeyValue("", "v"), parser.parse("=>v", 2));
        assertEquals(new KeyedLineParser.KeyValue("k", ""), parser.parse("k=>", 3));
    }

    @Test
    void lineWithoutSeparatorIsRejectedWithItsNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KeyedLineParser(true, "\t").parse("no tab here", 7));
        assertEquals("No key separator '\\t' on line 7: 'no tab here'", e.getMessage());
    }

    @Test
    void emptySeparatorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyedLineParser(true, ""));
    }
}
