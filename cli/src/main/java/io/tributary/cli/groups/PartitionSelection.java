package io.tributary.cli.groups;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A --topic value: {@code orders} for all its partitions, {@code orders:0,2} for some.
 *
 * @param partitions the chosen partitions, empty for all of them
 */
public record PartitionSelection(String topic, List<Integer> partitions) {
    public PartitionSelection {
        Objects.requireNonNull(topic, "topic");
        partitions = List.copyOf(partitions);
    }

    /** @throws IllegalArgumentException for an empty topic or a partition that is not a number >= 0 */
    public static PartitionSelection parse(String value) {
        int colon = value.lastIndexOf(':');
        String topic = colon < 0 ? value : value.substring(0, colon);
        if (topic.isBlank()) {
            throw new IllegalArgumentException("--topic '" + value + "' names no topic");
        }
        if (colon < 0) {
            return new PartitionSelection(topic, List.of());
        }
        TreeSet<Integer> partitions = new TreeSet<>();
        for (String p : value.substring(colon + 1).split(",")) {
            try {
                int partition = Integer.parseInt(p.trim());
                if (partition < 0) {
                    throw new NumberFormatException();
                }
                partitions.add(partition);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--topic '" + value + "': '" + p + "' is not a partition number");
            }
        }
        return new PartitionSelection(topic, List.copyOf(partitions));
    }

    public boolean allPartitions() {
        return partitions.isEmpty();
    }
}
