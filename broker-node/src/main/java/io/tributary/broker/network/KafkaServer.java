package io.tributary.broker.network;

import io.tributary.broker.config.ListenerAddress;
import io.tributary.broker.metrics.ConnectionMetrics;
import io.tributary.broker.metrics.RequestMetrics;
import io.tributary.broker.protocol.RequestDecoder;
import io.tributary.broker.protocol.RequestDispatcher;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka-protocol listener. Deployed as several verticle instances on one port so that Vert.x spreads
 * connections over event loops; each connection stays on the loop that accepted it.
 */
public final class KafkaServer {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);

    private final Vertx vertx;
    private final ListenerAddress listener;
    private final RequestDispatcher dispatcher;
    private final int maxFrameBytes;
    private final int brokerId;
    private final ConnectionMetrics connections;
    private final RequestMetrics requests;
    private String deploymentId;
    private volatile int boundPort = -1;

    public KafkaServer(Vertx vertx, ListenerAddress listener, RequestDispatcher dispatcher, int maxFrameBytes, int brokerId,
                       ConnectionMetrics connections, RequestMetrics requests) {
        this.vertx = vertx;
        this.listener = listener;
        this.dispatcher = dispatcher;
        this.maxFrameBytes = maxFrameBytes;
        this.brokerId = brokerId;
        this.connections = connections;
        this.requests = requests;
    }

    /** Binds the listener; completes with the bound port (useful when the configured port is 0). */
    public Future<Integer> start(int eventLoops) {
        RequestDecoder decoder = new RequestDecoder(dispatcher.supportedApis());
        // With port 0 each instance would get its own ephemeral port, so an ephemeral listener uses one loop.
        int instances = listener.port() == 0 ? 1 : eventLoops;
        return vertx.deployVerticle(() -> new ListenerVerticle(decoder), new DeploymentOptions().setInstances(instances))
                .map(id -> {
                    deploymentId = id;
                    log.info("Broker {}: Kafka listener bound to {}:{}", brokerId, listener.bindHost(), boundPort);
                    return boundPort;
                });
    }

    public int port() {
        return boundPort;
    }

    public Future<Void> stop() {
        return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    }

    private final class ListenerVerticle extends AbstractVerticle {
        private final RequestDecoder decoder;

        ListenerVerticle(RequestDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void start(Promise<Void> started) {
            NetServer server = vertx.createNetServer(new NetServerOptions()
                    .setHost(listener.bindHost())
                    .setPort(listener.port())
                    .setTcpNoDelay(true)
                    .setReuseAddress(true));
            server.connectHandler(socket -> new KafkaConnection((NetSocketInternal) socket, context, decoder,
                    dispatcher, maxFrameBytes, brokerId, connections, requests).start());
            server.listen().onSuccess(s -> {
                boundPort = s.actualPort();
                started.complete();
            }).onFailure(e -> started.fail(new IllegalStateException("cannot listen on " + listener + ": " + e.getMessage(), e)));
        }
    }
}
