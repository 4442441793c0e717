package io.tributary.console.timeline;

import io.tributary.client.common.TopicPartition;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns successive observations into timeline events: brokers joining, leaving and becoming unreachable, controller
 * changes, leader changes with how long the partition had no reachable leader, and ISR shrinks and expands.
 *
 * <p>A partition's leaderless time starts at the first observation in which its leader was gone: the leader's broker
 * unreachable or no longer registered, or the metadata naming no leader. It ends at the first observation that names
 * a different, reachable leader. Both ends are observations, so the duration is accurate to the poll intervals
 * (metadata and broker reachability every 250 ms). Observation times must not go backwards.
 *
 * <p>A Metadata answer from a broker whose cache lags may show a partition as it was before a failover. Such a
 * state (a lower leader epoch than already seen, or the same epoch with another leader) is ignored: the partition
 * keeps its last accepted state, so a lagging answer does not read as "leader 3 → 2" and back.
 * Not thread-safe: the console calls it from its event loop.
 */
public final class TimelineDiffer {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Observation previous;
    private long nextSeq = 1;
    /** Partitions whose leader is gone: since when, as seen by this console. */
    private final Map<TopicPartition, Long> leaderGoneSince = new HashMap<>();
    /** The last leader each partition had, so "no leader, then 3" still reads "leader 2 → 3". */
    private final Map<TopicPartition, Integer> lastLeader = new HashMap<>();

    /** The events between the previous observation and this one, oldest first; none for the first observation. */
    public List<TimelineEvent> next(Observation observed) {
        if (previous != null && observed.atMs() < previous.atMs()) {
            throw new IllegalArgumentException("observation at " + observed.atMs() + " is older than the previous one at "
                    + previous.atMs());
        }
        Observation now = withoutStalePartitions(observed);
        List<TimelineEvent> events = new ArrayList<>();
        if (previous != null) {
            brokers(previous, now, events);
            controller(previous, now, events);
            partitions(previous, now, events);
        }
        trackLeaderlessPartitions(now);
        previous = now;
        return events;
    }

    /** The observation with each partition state older than the last accepted one replaced by that one. */
    private Observation withoutStalePartitions(Observation observed) {
        if (previous == null) {
            return observed;
        }
        Map<TopicPartition, PartitionState> partitions = new HashMap<>(observed.partitions());
        partitions.replaceAll((tp, is) -> {
            PartitionState was = previous.partitions().get(tp);
            return was != null && isStale(is, was) ? was : is;
        });
        return new Observation(observed.atMs(), observed.controllerId(), observed.brokers(), partitions,
                observed.unreachableBecause());
    }

    /**
     * Epoch -1 means the broker did not send one (old Metadata versions): nothing to compare then. Losing the leader
     * need not bump the epoch, so "no leader" at the same epoch is news, not an old answer.
     */
    private static boolean isStale(PartitionState is, PartitionState was) {
        if (is.leaderEpoch() < 0 || was.leaderEpoch() < 0) {
            return false;
        }
        return is.leaderEpoch() < was.leaderEpoch()
                || is.leaderEpoch() == was.leaderEpoch() && is.leader() >= 0 && was.leader() >= 0 && is.leader() != was.leader();
    }

    private void brokers(Observation before, Observation now, List<TimelineEvent> events) {
        TreeSet<Integer> ids = new TreeSet<>(before.brokers().keySet());
        ids.addAll(now.brokers().keySet());
        for (int id : ids) {
            BrokerState was = before.stateOf(id);
            BrokerState is = now.stateOf(id);
            if (was == is || is == null) {
                continue;
            }
            String at = " at " + CLOCK.format(Instant.ofEpochMilli(now.atMs()));
            switch (is) {
                case UP -> events.add(event(now, was == BrokerState.UNREACHABLE ? EventKind.BROKER_REACHABLE : EventKind.BROKER_JOINED,
                        null, -1, id, -1, null, was == BrokerState.UNREACHABLE ? "broker " + id + " reachable again" + at
                                : "broker " + id + " joined" + at));
                case UNREACHABLE -> events.add(event(now, EventKind.BROKER_UNREACHABLE, null, -1, id, -1, null,
                        "broker " + id + " unreachable (" + now.unreachableBecause().getOrDefault(id, "no answer") + ")" + at));
                case DOWN -> events.add(event(now, EventKind.BROKER_LEFT, null, -1, id, -1, null,
                        "broker " + id + " left" + at));
            }
        }
    }

    private void controller(Observation before, Observation now, List<TimelineEvent> events) {
        if (before.controllerId() == now.controllerId()) {
            return;
        }
        String text = now.controllerId() < 0 ? "no controller (was broker " + before.controllerId() + ")"
                : "controller " + name(before.controllerId()) + " → " + now.controllerId();
        events.add(event(now, EventKind.CONTROLLER, null, -1, now.controllerId(), before.controllerId(), null, text));
    }

    private void partitions(Observation before, Observation now, List<TimelineEvent> events) {
        for (Map.Entry<TopicPartition, PartitionState> e : new TreeMap<>(now.partitions()).entrySet()) {
            TopicPartition tp = e.getKey();
            PartitionState was = before.partitions().get(tp);
            PartitionState is = e.getValue();
            if (was == null) {
                continue; // a new topic: its first leaders are not failovers
            }
            if (was.leader() != is.leader()) {
                if (is.leader() < 0) {
                    events.add(event(now, EventKind.OFFLINE, tp.topic(), tp.partition(), -1, was.leader(), null,
                            tp + ": no leader (was " + was.leader() + ")"));
                } else if (was.leader() >= 0 || lastLeader.containsKey(tp)) {
                    // (A partition that never had a leader is a new topic electing its first: not a change.)
                    int from = was.leader() >= 0 ? was.leader() : lastLeader.get(tp);
                    Long since = leaderGoneSince.get(tp);
                    Long duration = since == null ? null : now.atMs() - since;
                    events.add(event(now, EventKind.LEADER, tp.topic(), tp.partition(), is.leader(), from, duration,
                            tp + ": leader " + from + " → " + is.leader() + (from == is.leader() ? " (re-elected)" : "")
                                    + (duration == null ? "" : " after " + duration + " ms")));
                }
            }
            if (was.leader() < 0 && !lastLeader.containsKey(tp)) {
                continue; // a new topic's first ISR is not an expansion
            }
            List<Integer> left = was.isr().stream().filter(r -> !is.isr().contains(r)).toList();
            List<Integer> joined = is.isr().stream().filter(r -> !was.isr().contains(r)).toList();
            for (int replica : left) {
                events.add(event(now, EventKind.ISR_SHRINK, tp.topic(), tp.partition(), replica, -1, null,
                        tp + ": ISR shrank " + list(was.isr()) + " → " + list(is.isr()) + " (broker " + replica + " out)"));
            }
            for (int replica : joined) {
                events.add(event(now, EventKind.ISR_EXPAND, tp.topic(), tp.partition(), replica, -1, null,
                        tp + ": ISR expanded " + list(was.isr()) + " → " + list(is.isr()) + " (broker " + replica + " back)"));
            }
        }
    }

    /**
     * Starts the clock for partitions whose leader just went; stops it once a reachable broker leads (the leader
     * event in {@link #partitions} has read it by then, or the old leader was only unreachable for a moment).
     */
    private void trackLeaderlessPartitions(Observation now) {
        leaderGoneSince.keySet().retainAll(now.partitions().keySet());
        lastLeader.keySet().retainAll(now.partitions().keySet());
        now.partitions().forEach((tp, state) -> {
            if (state.leader() >= 0) {
                lastLeader.put(tp, state.leader());
            }
            if (state.leader() < 0 || now.stateOf(state.leader()) != BrokerState.UP) {
                leaderGoneSince.putIfAbsent(tp, now.atMs());
            } else {
                leaderGoneSince.remove(tp);
            }
        });
    }

    private TimelineEvent event(Observation now, EventKind kind, String topic, int partition, int broker, int from,
                                Long durationMs, String text) {
        return new TimelineEvent(nextSeq++, now.atMs(), kind, topic, partition, broker, from, durationMs, text);
    }

    private static String name(int broker) {
        return broker < 0 ? "none" : Integer.toString(broker);
    }

    private static String list(List<Integer> replicas) {
        return replicas.isEmpty() ? "[]" : replicas.stream().map(Objects::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
