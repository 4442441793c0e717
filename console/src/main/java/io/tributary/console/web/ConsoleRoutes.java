package io.tributary.console.web;

import io.tributary.console.ConsoleState;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The console's HTTP routes: JSON under /api, the live stream, uPlot from its webjar under /vendor/uplot, and the
 * pages from the jar's webroot. Everything is served from the classpath, so the console works offline.
 */
public final class ConsoleRoutes {
    static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/1.6.30/dist";

    private ConsoleRoutes() {
    }

    public static Router create(Vertx vertx, ConsoleState state, StreamHub hub) {
        Router router = Router.router(vertx);
        router.get("/api/stream").handler(hub::connect);
        router.get("/api/cluster").handler(ctx -> json(ctx, SnapshotJson.cluster(state).encode()));
        router.get("/api/topics").handler(ctx -> json(ctx, SnapshotJson.topics(state).encode()));
        router.get("/api/groups").handler(ctx -> json(ctx, SnapshotJson.groups(state).encode()));
        router.get("/api/timeline").handler(ctx -> json(ctx, SnapshotJson.events(state.timeline().newestFirst(), state.timeline()).encode()));
        router.get("/vendor/uplot/*").handler(StaticHandler.create(FileSystemAccess.RELATIVE, UPLOT_DIST).setCachingEnabled(true));
        router.get("/*").handler(StaticHandler.create(FileSystemAccess.RELATIVE, "webroot").setIndexPage("index.html")
                .setCachingEnabled(false));
        return router;
    }

    private static void json(RoutingContext ctx, String body) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }
}
