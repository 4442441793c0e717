package io.tributary.broker.log;

/**
 * How far {@link LogManager#loadExisting()} is: {@code loaded} of {@code total} partition logs opened, and
 * whether it finished. Before it starts, total is unknown (-1).
 */
public record LoadProgress(int loaded, int total, boolean done) {

    public static final LoadProgress NOT_STARTED = new LoadProgress(0, -1, false);
}
