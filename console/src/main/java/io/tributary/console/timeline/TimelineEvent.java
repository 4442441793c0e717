package io.tributary.console.timeline;

/**
 * One change the console saw between two observations.
 *
 * @param seq        increases by one per event, so a page can drop duplicates
 * @param atMs       wall-clock time of the observation that showed the change
 * @param topic      the partition's topic, null for broker and controller events
 * @param partition  -1 for broker and controller events
 * @param broker     the broker concerned (the new leader, the replica that left or joined the ISR), -1 if none
 * @param from       the previous leader or controller, -1 if none
 * @param durationMs how long the partition was without a reachable leader, null when not measured
 * @param text       the sentence the page shows
 */
public record TimelineEvent(long seq, long atMs, EventKind kind, String topic, int partition, int broker, int from,
                            Long durationMs, String text) {
}
