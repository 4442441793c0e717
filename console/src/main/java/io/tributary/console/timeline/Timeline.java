package io.tributary.console.timeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last {@code capacity} events, oldest dropped first. Confined to the console's event loop. */
public final class Timeline {
    private final int capacity;
    private final Deque<TimelineEvent> events = new ArrayDeque<>();

    public Timeline(int capacity) {
        this.capacity = capacity;
    }

    public void add(TimelineEvent event) {
        events.addLast(event);
        while (events.size() > capacity) {
            events.removeFirst();
        }
    }

    /** Newest first. */
    public List<TimelineEvent> newestFirst() {
        List<TimelineEvent> list = new ArrayList<>(events);
        java.util.Collections.reverse(list);
        return list;
    }
}
