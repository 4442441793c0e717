package io.tributary.console.web;

import io.tributary.console.ConsoleState;
import io.tributary.console.timeline.TimelineEvent;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Server-Sent Events behind {@code /api/stream}: a new client gets the current snapshot and the timeline's
 * history, then every new event and every changed snapshot. Runs on the console's event loop only.
 */
public final class StreamHub {
    private final ConsoleState state;
    private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
    private String lastSnapshot = "";

    public StreamHub(ConsoleState state) {
        this.state = state;
    }

    public void connect(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        clients.add(response);
        response.closeHandler(v -> clients.remove(response));
        response.exceptionHandler(e -> clients.remove(response));
        // Ask the browser to reconnect quickly if the console restarts.
        response.write("retry: 1000\n\n");
        send(response, "history", SnapshotJson.events(state.timeline().newestFirst()).encode());
        send(response, "snapshot", SnapshotJson.snapshot(state).encode());
    }

    /** Called after every state change with the events it produced (possibly none). */
    public void publish(List<TimelineEvent> events) {
        if (clients.isEmpty()) {
            return;
        }
        for (TimelineEvent e : events) {
            String data = SnapshotJson.event(e).encode();
            clients.forEach(c -> send(c, "event", data));
        }
        String snapshot = SnapshotJson.snapshot(state).encode();
        if (!snapshot.equals(lastSnapshot) || !events.isEmpty()) {
            lastSnapshot = snapshot;
            clients.forEach(c -> {
                // A client that cannot keep up skips snapshots (the next one supersedes them), never events.
                if (!c.writeQueueFull()) {
                    send(c, "snapshot", snapshot);
                }
            });
        }
    }

    /** A comment line every few seconds keeps idle proxies and the browser from closing the stream. */
    public void keepAlive() {
        new ArrayList<>(clients).forEach(c -> c.write(": keep-alive\n\n"));
    }

    public void closeAll() {
        new ArrayList<>(clients).forEach(c -> c.end());
        clients.clear();
    }

    private void send(HttpServerResponse response, String event, String data) {
        if (!response.closed() && !response.ended()) {
            response.write("event: " + event + "\ndata: " + data + "\n\n");
        }
    }
}
