package io.tributary.console.web;

import io.tributary.console.ConsoleState;
import io.tributary.console.timeline.TimelineEvent;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Server-Sent Events behind {@code /api/stream}: a new client gets the current snapshot and the timeline's
 * history, then every new event as it happens and the snapshot at most once per {@link #flush} tick when something
 * changed (encoding it once for all clients). A client whose write queue stays full for
 * {@value #MAX_SKIPPED_SNAPSHOTS} snapshots in a row is dropped. Runs on the console's event loop only.
 */
public final class StreamHub {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    /** About 5 s of snapshots at one per 250 ms tick: a browser tab that stopped reading, not a slow network. */
    static final int MAX_SKIPPED_SNAPSHOTS = 20;

    private final ConsoleState state;
    /** Each client with the number of snapshots it has skipped in a row. */
    private final Map<HttpServerResponse, Integer> clients = new LinkedHashMap<>();
    private boolean dirty;

    public StreamHub(ConsoleState state) {
        this.state = state;
    }

    public void connect(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        clients.put(response, 0);
        response.closeHandler(v -> clients.remove(response));
        response.exceptionHandler(e -> clients.remove(response));
        // Ask the browser to reconnect quickly if the console restarts.
        response.write("retry: 1000\n\n");
        send(response, "history", SnapshotJson.events(state.timeline().newestFirst(), state.timeline()).encode());
        send(response, "snapshot", SnapshotJson.snapshot(state).encode());
    }

    /** Called after every state change with the events it produced (possibly none): events go out now. */
    public void publish(List<TimelineEvent> events) {
        dirty = true;
        if (clients.isEmpty()) {
            return;
        }
        for (TimelineEvent e : events) {
            String data = SnapshotJson.event(e, state.timeline().isAboutInternalTopic(e)).encode();
            clients.keySet().forEach(c -> send(c, "event", data));
        }
    }

    /** The tick: one snapshot, encoded once, to every client, if anything changed since the last tick. */
    public void flush() {
        if (!dirty || clients.isEmpty()) {
            return;
        }
        dirty = false;
        String snapshot = SnapshotJson.snapshot(state).encode();
        for (HttpServerResponse c : new ArrayList<>(clients.keySet())) {
            // A client that cannot keep up skips snapshots (the next one supersedes them), never events; one that
            // stays stuck holds memory for nothing and is dropped (its EventSource reconnects if it is still alive).
            if (!c.writeQueueFull()) {
                clients.put(c, 0);
                send(c, "snapshot", snapshot);
            } else if (clients.merge(c, 1, Integer::sum) >= MAX_SKIPPED_SNAPSHOTS) {
                log.info("Dropping an event-stream client that has not read for {} snapshots", MAX_SKIPPED_SNAPSHOTS);
                clients.remove(c);
                c.reset();
            }
        }
    }

    /** A comment line every few seconds keeps idle proxies and the browser from closing the stream. */
    public void keepAlive() {
        new ArrayList<>(clients.keySet()).forEach(c -> send(c, ":", null));
    }

    public void closeAll() {
        new ArrayList<>(clients.keySet()).forEach(c -> {
            if (!c.closed() && !c.ended()) {
                c.end();
            }
        });
        clients.clear();
    }

    private void send(HttpServerResponse response, String event, String data) {
        if (!response.closed() && !response.ended()) {
            response.write(data == null ? ": keep-alive\n\n" : "event: " + event + "\ndata: " + data + "\n\n");
        }
    }
}
