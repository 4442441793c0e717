package io.tributary.console.timeline;

/** How the console sees a broker. */
public enum BrokerState {
    /** Registered and answering. */
    UP,
    /** Still registered, but its Kafka port or metrics listener refuses connections (e.g. right after kill -9). */
    UNREACHABLE,
    /** Seen before (as a broker or a replica), no longer registered. */
    DOWN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
