package io.tributary.client.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The assignors this client ships, by their Kafka protocol names. */
public final class Assignors {
    private static final Map<String, Supplier<PartitionAssignor>> BY_NAME = Map.of(
            RangeAssignor.NAME, RangeAssignor::new,
            RoundRobinAssignor.NAME, RoundRobinAssignor::new,
            CooperativeStickyAssignor.NAME, CooperativeStickyAssignor::new);

    private Assignors() {
    }

    public static boolean isKnown(String name) {
        return BY_NAME.containsKey(name);
    }

    public static List<String> names() {
        return List.copyOf(new java.util.TreeSet<>(BY_NAME.keySet()));
    }

    /** The assignors in the order of preference given. */
    public static List<PartitionAssignor> create(List<String> names) {
        List<PartitionAssignor> assignors = new ArrayList<>();
        for (String name : names) {
            Supplier<PartitionAssignor> s = BY_NAME.get(name);
            if (s == null) {
                throw new IllegalArgumentException("Unknown assignor " + name + "; known: " + names());
            }
            assignors.add(s.get());
        }
        return assignors;
    }

    /**
     * The rebalance protocol a member follows: cooperative only if every assignor it offers supports it, since
     * the group may pick any of them (Kafka's rule; with the default "range,cooperative-sticky" that is eager).
     */
    public static PartitionAssignor.RebalanceProtocol protocolOf(List<PartitionAssignor> assignors) {
        return assignors.stream().allMatch(a -> a.rebalanceProtocol() == PartitionAssignor.RebalanceProtocol.COOPERATIVE)
                ? PartitionAssignor.RebalanceProtocol.COOPERATIVE : PartitionAssignor.RebalanceProtocol.EAGER;
    }
}
