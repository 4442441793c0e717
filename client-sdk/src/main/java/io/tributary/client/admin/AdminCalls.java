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
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * One admin request to the broker a fresh Metadata view picks (any broker, a named broker, a partition's leader),
 * retried on network and metadata failures with a new view until request.timeout.ms has passed. The broker's answer is
 * final unless it says the request went to the wrong broker (NOT_LEADER_OR_FOLLOWER, ...): then another round.
 */
final class AdminCalls {

    private static final Set<Errors> MOVED = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
            Errors.NOT_CONTROLLER);

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
            ClientResponse response;
            try {
                ClusterSnapshot cluster = FutureWaits.await(metadata.fetch(topics), deadline, "fetch metadata to " + what);
                Node node = target.pick(cluster);
                if (node == null) {
                    throw new ApiException(Errors.LEADER_NOT_AVAILABLE, "no broker to send the request to yet");
                }
                long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
                response = FutureWaits.await(pool.forNode(node).send(OutboundRequest.of(api, body, remaining)), deadline, what);
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
                FutureWaits.backoff(config.retryBackoffMs(), deadline);
                continue;
            }
            try {
                return interpret.apply(response);
            } catch (ApiException answer) {
                // The broker's answer is final (an unknown topic stays unknown for this call), unless the request
                // reached a broker that no longer leads: then ask the new leader.
                if (!MOVED.contains(answer.error())) {
                    throw answer;
                }
                last = answer;
            }
            FutureWaits.backoff(config.retryBackoffMs(), deadline);
        }
        throw new TimeoutException("Could not " + what + " within request.timeout.ms=" + config.requestTimeoutMs()
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }
}
