package io.tributary.cli.groups;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Parses --to-datetime as kafka-consumer-groups does: {@code YYYY-MM-DDTHH:mm:SS.sss}, in the local time
 * zone unless the value ends with {@code Z} or an offset such as {@code +01:00}.
 */
public final class Datetimes {
    private Datetimes() {
    }

    /** @throws IllegalArgumentException naming the expected format */
    public static long parseToEpochMs(String text, ZoneId localZone) {
        String value = text.trim();
        try {
            if (hasZone(value)) {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(value).atZone(localZone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--to-datetime '" + text + "' is not a date and time such as 2026-11-30T12:00:00.000"
                    + " (optionally followed by Z or an offset like +01:00)");
        }
    }

    private static boolean hasZone(String value) {
        int t = value.indexOf('T');
        if (t < 0) {
            return false;
        }
        String time = value.substring(t + 1);
        return time.endsWith("Z") || time.endsWith("z") || time.contains("+") || time.contains("-");
    }
}
