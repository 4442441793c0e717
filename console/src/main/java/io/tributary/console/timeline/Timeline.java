package io.tributary.console.timeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last {@code capacity} events about user topics and brokers, and separately the last {@code capacity} events
 * about internal topics (__consumer_offsets: 50 partitions, ~100 events per kill), oldest dropped first; so the
 * internal events, hidden by default, never push the shown ones out. Confined to the console's event loop.
 */
public final class Timeline {
    private final int capacity;
    private final Deque<TimelineEvent> shown = new ArrayDeque<>();
    private final Deque<TimelineEvent> internal = new ArrayDeque<>();
    private final Set<Long> internalSeqs = new HashSet<>();

    public Timeline(int capacity) {
        this.capacity = capacity;
    }

    /** An event about a user topic, a broker or the controller. */
    public void add(TimelineEvent event) {
        add(event, false);
    }

    /** @param aboutInternalTopic whether the event concerns a partition of an internal topic */
    public void add(TimelineEvent event, boolean aboutInternalTopic) {
        Deque<TimelineEvent> events = aboutInternalTopic ? internal : shown;
        events.addLast(event);
        if (aboutInternalTopic) {
            internalSeqs.add(event.seq());
        }
        while (events.size() > capacity) {
            internalSeqs.remove(events.removeFirst().seq());
        }
    }

    public boolean isAboutInternalTopic(TimelineEvent event) {
        return internalSeqs.contains(event.seq());
    }

    /** Both kinds, newest first. */
    public List<TimelineEvent> newestFirst() {
        List<TimelineEvent> list = new ArrayList<>(shown.size() + internal.size());
        list.addAll(shown);
        list.addAll(internal);
        list.sort(Comparator.comparingLong(TimelineEvent::seq).reversed());
        return list;
    }
}
