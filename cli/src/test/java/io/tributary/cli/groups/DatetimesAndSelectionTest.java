package io.tributary.cli.groups;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --to-datetime and --topic values as kafka-consumer-groups accepts them. */
class DatetimesAndSelectionTest {
    private static final long NOON_UTC = 1_796_040_000_000L; // 2026-11-30T12:00:00Z

    @Test
    void aDatetimeWithoutZoneIsLocalTime() {
        assertEquals(NOON_UTC, Datetimes.parseToEpochMs("2026-11-30T12:00:00.000", ZoneId.of("UTC")));
        assertEquals(NOON_UTC - 3_600_000, Datetimes.parseToEpochMs("2026-11-30T12:00:00.000", ZoneId.of("Europe/Paris")));
        assertEquals(NOON_UTC + 123, Datetimes.parseToEpochMs("2026-11-30T12:00:00.123", ZoneId.of("UTC")));
    }

    @Test
    void aZoneInTheValueWinsOverTheLocalOne() {
        assertEquals(NOON_UTC, Datetimes.parseToEpochMs("2026-11-30T12:00:00.000Z", ZoneId.of("Asia/Tokyo")));
        assertEquals(NOON_UTC - 3_600_000, Datetimes.parseToEpochMs("2026-11-30T12:00:00.000+01:00", ZoneId.of("UTC")));
        assertEquals(NOON_UTC + 5 * 3_600_000, Datetimes.parseToEpochMs("2026-11-30T12:00:00.000-05:00", ZoneId.of("UTC")));
    }

    @Test
    void otherTextIsRefusedNamingTheFormat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datetimes.parseToEpochMs("30/11/2026 12:00", ZoneId.of("UTC")));
        assertTrue(e.getMessage().contains("2026-11-30T12:00:00.000"), e.getMessage());
    }

    @Test
    void topicSelectionsNameAllOrSomePartitions() {
        assertEquals(new PartitionSelection("orders", List.of()), PartitionSelection.parse("orders"));
        assertTrue(PartitionSelection.parse("orders").allPartitions());
        assertEquals(new PartitionSelection("orders", List.of(0, 2)), PartitionSelection.parse("orders:2,0,2"));
        assertThrows(IllegalArgumentException.class, () -> PartitionSelection.parse("orders:x"));
        assertThrows(IllegalArgumentException.class, () -> PartitionSelection.parse("orders:-1"));
        assertThrows(IllegalArgumentException.class, () -> PartitionSelection.parse("orders:"));
        assertThrows(IllegalArgumentException.class, () -> PartitionSelection.parse(":1"));
    }
}
