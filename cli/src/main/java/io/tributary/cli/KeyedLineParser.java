package io.tributary.cli;

/**
 * Splits an input line of the console producer into key and value, as Kafka's console producer does
 * with {@code parse.key=true} and {@code key.separator}: the key is everything before the first
 * separator, the value everything after it. Without key parsing the whole line is the value and the
 * key is null (the producer then spreads records over partitions).
 */
public record KeyedLineParser(boolean parseKey, String keySeparator) {

    /** Kafka's console producer default separator. */
    public static final String DEFAULT_KEY_SEPARATOR = "\t";

    public KeyedLineParser {
        if (keySeparator == null || keySeparator.isEmpty()) {
            throw new IllegalArgumentException("key.separator must not be empty");
        }
    }

    /** A line split into key (null without key parsing) and value. */
    public record KeyValue(String key, String value) {
    }

    /**
     * @param lineNumber 1-based, for the error message
     * @throws IllegalArgumentException when key parsing is on and the line has no separator: sending it
     *                                  keyless would put it on an arbitrary partition, silently
     */
    public KeyValue parse(String line, long lineNumber) {
        if (!parseKey) {
            return new KeyValue(null, line);
        }
        int at = line.indexOf(keySeparator);
        if (at < 0) {
            throw new IllegalArgumentException("No key separator '" + printable(keySeparator) + "' on line " + lineNumber
                    + ": '" + line + "'");
        }
        return new KeyValue(line.substring(0, at), line.substring(at + keySeparator.length()));
    }

    static String printable(String separator) {
        return separator.replace("\t", "\\t").replace("\n", "\\n");
    }
}
