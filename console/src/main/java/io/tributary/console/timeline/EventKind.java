package io.tributary.console.timeline;

/** What happened; the wire name is what the page puts in {@code data-kind}. */
public enum EventKind {
    BROKER_JOINED("broker-joined"),
    BROKER_LEFT("broker-left"),
    BROKER_UNREACHABLE("broker-unreachable"),
    BROKER_REACHABLE("broker-reachable"),
    CONTROLLER("controller"),
    LEADER("leader"),
    OFFLINE("offline"),
    ISR_SHRINK("isr-shrink"),
    ISR_EXPAND("isr-expand");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
