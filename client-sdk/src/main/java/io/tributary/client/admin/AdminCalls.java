package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import java.util.Collection;
import java.util.function.Function;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * One admin request to the broker a fresh Metadata view picks (any broker, a named broker, a partition's leader),
 * retried on retriable failures with a new view until request.timeout.ms has passed. The interpreter throws a
 * retriable ApiException (NOT_LEADER_OR_FOLLOWER, ...) to ask for another round.
 */
final class AdminCalls {

    private final AdminConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;

    AdminCalls(AdminConfig config, ConnectionPool pool, MetadataCache metadata) {
        this.config = config;
        this.pool = pool;
        this.metadata = metadata;
    }

    /** Picks the target from the cluster view; returns null when it is not known yet (retried). */
    interface Target {
        Node pick(ClusterSnapshot cluster);

        static Target anyBroker() {
            return cluster -> cluster.controller() != null ? cluster.controller()
                    : cluster.brokers().values().stream().findFirst().orElse(null);
        }

        static Target broker(int id) {
            return cluster -> cluster.brokers().get(id);
        }
    }

    <T> T call(String what, Collection<String> topics, Target target, ApiKeys api, Function<Short, ApiMessage> body,
               Function<ClientResponse, T> interpret) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadline) {
            try {
                ClusterSnapshot cluster = FutureWaits.await(metadata.fetch(topics), deadline, "fetch metadata to " + what);
                Node node = target.pick(cluster);
                if (node == null) {
                    throw new ApiException(org.apache.kafka.common.protocol.Errors.LEADER_NOT_AVAILABLE,
                            "no broker to send the request to yet");
                }
                long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
                ClientResponse response = FutureWaits.await(pool.forNode(node).send(OutboundRequest.of(api, body, remaining)),
                        deadline, what);
                return interpret.apply(response);
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
            }
            FutureWaits.backoff(config.retryBackoffMs(), deadline);
        }
        throw new TimeoutException("Could not " + what + " within request.timeout.ms=" + config.requestTimeoutMs()
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }
}
