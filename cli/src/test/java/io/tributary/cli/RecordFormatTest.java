package io.tributary.cli;

import io.tributary.client.common.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordFormatTest {

    @Test
    void valuesOnlyByDefault() {
        assertEquals("hello", RecordFormat.valuesOnly().format(2, 41, 1000, List.of(), "k", "hello"));
    }

    @Test
    void fieldsComeInKafkasOrderJoinedByTheSeparator() {
        RecordFormat all = new RecordFormat(true, true, true, true, true, true, "|", ",");
        List<Header> headers = List.of(new Header("h1", "x".getBytes(StandardCharsets.UTF_8)), new Header("h2", null));
        assertEquals("CreateTime:1700000000000|Partition:2|Offset:41|h1:x,h2:null|k|hello",
                all.format(2, 41, 1700000000000L, headers, "k", "hello"));
    }

    @Test
    void nullKeyAndValuePrintAsNull() {
        RecordFormat keyed = new RecordFormat(false, false, false, false, true, true, "\t", ",");
        assertEquals("null\tnull", keyed.format(0, 0, 0, List.of(), null, null));
    }

    @Test
    void missingTimestampAndHeadersAreNamed() {
        RecordFormat format = new RecordFormat(true, false, true, true, false, false, " ", ",");
        assertEquals("NO_TIMESTAMP Offset:5 NO_HEADERS", format.format(0, 5, -1, List.of(), "k", "v"));
    }
}
