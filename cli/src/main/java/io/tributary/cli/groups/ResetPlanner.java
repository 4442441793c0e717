package io.tributary.cli.groups;

import io.tributary.client.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Computes the new offsets of a reset. As kafka-consumer-groups does, a target outside the log is moved
 * to its nearest end (with a warning), and --to-datetime past the last record falls back to the log end.
 */
public final class ResetPlanner {
    private ResetPlanner() {
    }

    /**
     * @param warnings receives one line per clamped or fallen-back partition
     * @throws IllegalArgumentException for --shift-by or --to-current on a partition without a committed offset
     */
    public static Map<TopicPartition, Long> plan(ResetTarget target, Map<TopicPartition, PartitionOffsets> partitions,
                                                 Consumer<String> warnings) {
        Map<TopicPartition, Long> result = new TreeMap<>();
        List<TopicPartition> uncommitted = new ArrayList<>();
        new TreeMap<>(partitions).forEach((tp, p) -> {
            if ((target instanceof ResetTarget.ShiftBy || target instanceof ResetTarget.Current) && p.committed().isEmpty()) {
                uncommitted.add(tp);
                return;
            }
            long wanted = wanted(target, tp, p, warnings);
            long clamped = clamp(wanted, p.earliest(), p.latest());
            if (clamped != wanted) {
                warnings.accept("New offset (" + wanted + ") is " + (wanted < clamped ? "lower than earliest" : "higher than latest")
                        + " offset for topic partition " + tp + ". Value will be set to " + clamped);
            }
            result.put(tp, clamped);
        });
        if (!uncommitted.isEmpty()) {
            throw new IllegalArgumentException("Cannot " + (target instanceof ResetTarget.ShiftBy ? "shift" : "keep")
                    + " the offsets of " + uncommitted + ": the group has no committed offset there");
        }
        return result;
    }

    public static long clamp(long offset, long earliest, long latest) {
        return Math.max(earliest, Math.min(latest, offset));
    }

    private static long wanted(ResetTarget target, TopicPartition tp, PartitionOffsets p, Consumer<String> warnings) {
        if (target instanceof ResetTarget.Earliest) {
            return p.earliest();
        }
        if (target instanceof ResetTarget.Latest) {
            return p.latest();
        }
        if (target instanceof ResetTarget.ToOffset o) {
            return o.offset();
        }
        if (target instanceof ResetTarget.ShiftBy s) {
            // Saturating, so a huge --shift-by clamps instead of wrapping around.
            return saturatedAdd(p.committed().getAsLong(), s.delta());
        }
        if (target instanceof ResetTarget.Current) {
            return p.committed().getAsLong();
        }
        ResetTarget.ToTimestamp t = (ResetTarget.ToTimestamp) target;
        if (p.atTime().isPresent()) {
            return p.atTime().getAsLong();
        }
        warnings.accept("Partition " + tp.partition() + " from topic " + tp.topic()
                + " has no record at or after " + java.time.Instant.ofEpochMilli(t.timestampMs())
                + ". Falling back to latest known offset.");
        return p.latest();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
