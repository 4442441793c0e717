package io.tributary.broker.log;

import java.util.ArrayList;
import java.util.List;

/**
 * A topic's {@code cleanup.policy}: {@code delete} (retention.ms / retention.bytes remove old segments),
 * {@code compact} (the log cleaner keeps the latest record per key) or both, written as Kafka accepts a list
 * value: comma-separated, in any order, with spaces around the commas.
 */
public record CleanupPolicy(boolean compact, boolean delete) {

    public static final CleanupPolicy DELETE = new CleanupPolicy(false, true);
    public static final CleanupPolicy COMPACT = new CleanupPolicy(true, false);
    public static final CleanupPolicy COMPACT_DELETE = new CleanupPolicy(true, true);

    public CleanupPolicy {
        if (!compact && !delete) {
            throw new IllegalArgumentException("a cleanup policy is compact, delete or both");
        }
    }

    /**
     * Parses {@code delete}, {@code compact}, {@code compact,delete} or {@code delete, compact}.
     *
     * @throws IllegalArgumentException naming {@code key} and the value when an element is neither
     */
    public static CleanupPolicy parse(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("topic config " + key + "=" + value
                    + " is empty; allowed: delete, compact or compact,delete");
        }
        boolean compact = false;
        boolean delete = false;
        for (String element : value.trim().split("\\s*,\\s*", -1)) {
            switch (element) {
                case "compact" -> compact = true;
                case "delete" -> delete = true;
                default -> throw new IllegalArgumentException("topic config " + key + "=" + value + " has '" + element
                        + "'; allowed: delete, compact or compact,delete");
            }
        }
        return new CleanupPolicy(compact, delete);
    }

    /** Kafka's spelling: {@code delete}, {@code compact} or {@code compact,delete}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (compact) {
            parts.add("compact");
        }
        if (delete) {
            parts.add("delete");
        }
        return String.join(",", parts);
    }
}
