package io.tributary.cli;

/** Where the console consumer starts reading each assigned partition. */
sealed interface StartPosition {

    /** The log start offset (--from-beginning, --offset earliest). */
    record Beginning() implements StartPosition {
    }

    /** The log end offset: only records produced from now on (the default, as in Kafka's console consumer). */
    record End() implements StartPosition {
    }

    /** An explicit offset of the one partition given with --partition. */
    record At(long offset) implements StartPosition {
    }

    /**
     * Reads the flags as Kafka's console consumer does: {@code --offset} is earliest, latest or a
     * non-negative number, needs {@code --partition} when it is a number (an offset means nothing
     * across partitions), and excludes {@code --from-beginning}.
     *
     * @throws IllegalArgumentException naming the conflicting or bad flag
     */
    static StartPosition of(boolean fromBeginning, String offset, Integer partition) {
        if (offset == null) {
            return fromBeginning ? new Beginning() : new End();
        }
        if (fromBeginning) {
            throw new IllegalArgumentException("--from-beginning and --offset cannot be used together");
        }
        switch (offset.trim()) {
            case "earliest":
                return new Beginning();
            case "latest":
                return new End();
            default:
                long value;
                try {
                    value = Long.parseLong(offset.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--offset must be earliest, latest or a number >= 0, not '" + offset + "'");
                }
                if (value < 0) {
                    throw new IllegalArgumentException("--offset must be earliest, latest or a number >= 0, not '" + offset + "'");
                }
                if (partition == null) {
                    throw new IllegalArgumentException("--offset " + value + " needs --partition: an offset belongs to one partition");
                }
                return new At(value);
        }
    }
}
