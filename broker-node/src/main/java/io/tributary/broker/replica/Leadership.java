package io.tributary.broker.replica;

import java.util.List;

/** This broker's view of its role for one partition, replaced as a whole so readers see a consistent pair. */
public record Leadership(boolean leader, int leaderEpoch, List<Integer> isr) {

    public static final Leadership NONE = new Leadership(false, -1, List.of());
}
