package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets for many partitions: one request per leader (only the leader knows its log start and high
 * watermark), sent together; partitions whose leader moved or is not known go to another round with fresh
 * metadata after retry.backoff.ms, until request.timeout.ms has passed.
 */
final class OffsetLister {
    private final AdminConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;

    OffsetLister(AdminConfig config, ConnectionPool pool, MetadataCache metadata) {
        this.config = config;
        this.pool = pool;
        this.metadata = metadata;
    }

    Map<TopicPartition, Long> list(Map<TopicPartition, OffsetSpec> specs) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        Map<TopicPartition, Long> result = new HashMap<>();
        Map<TopicPartition, OffsetSpec> pending = new LinkedHashMap<>(specs);
        TributaryException last = null;
        while (!pending.isEmpty() && MonotonicClock.nowMs() < deadline) {
            try {
                last = round(pending, result, deadline);
            } catch (TributaryException e) {
                if (isFinal(e)) {
                    throw e;
                }
                last = e;
            }
            if (!pending.isEmpty()) {
                FutureWaits.backoff(config.retryBackoffMs(), deadline);
            }
        }
        if (!pending.isEmpty()) {
            throw new TimeoutException("Could not list the offsets of " + new TreeSet<>(pending.keySet())
                    + " within request.timeout.ms=" + config.requestTimeoutMs()
                    + (last == null ? "" : "; last error: " + last.getMessage()), last);
        }
        return result;
    }

    /** Not worth another round: a non-retriable error, or a partition that does not exist (retriable in Kafka). */
    private static boolean isFinal(TributaryException e) {
        return !e.retriable() || e instanceof ApiException api && api.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** One request per leader; moves answered partitions from pending to result and returns the last retriable error. */
    private TributaryException round(Map<TopicPartition, OffsetSpec> pending, Map<TopicPartition, Long> result, long deadline) {
        Set<String> topics = new TreeSet<>();
        pending.keySet().forEach(tp -> topics.add(tp.topic()));
        ClusterSnapshot cluster = FutureWaits.await(metadata.fetch(topics), deadline, "fetch metadata to list offsets");
        TributaryException last = null;
        Map<Node, Map<TopicPartition, OffsetSpec>> byLeader = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, OffsetSpec> e : pending.entrySet()) {
            Optional<Node> leader = cluster.leaderFor(e.getKey());
            if (leader.isPresent()) {
                byLeader.computeIfAbsent(leader.get(), n -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
            } else if (cluster.topic(e.getKey().topic()).isEmpty() || cluster.partition(e.getKey()).isEmpty()) {
                throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Cannot list the offsets of " + e.getKey()
                        + ": the partition is not in the metadata");
            } else {
                last = new ApiException(Errors.LEADER_NOT_AVAILABLE, e.getKey() + " has no leader at the moment");
            }
        }
        long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
        Map<Node, CompletableFuture<ClientResponse>> sent = new LinkedHashMap<>();
        byLeader.forEach((leader, specs) -> sent.put(leader, pool.forNode(leader)
                .send(OutboundRequest.of(ApiKeys.LIST_OFFSETS, v -> OffsetAndLogDirRequests.listOffsets(specs), remaining))));
        for (Map.Entry<Node, CompletableFuture<ClientResponse>> e : sent.entrySet()) {
            Map<TopicPartition, OffsetSpec> asked = byLeader.get(e.getKey());
            ClientResponse response;
            try {
                response = FutureWaits.await(e.getValue(), deadline, "list offsets on broker " + e.getKey().id());
            } catch (TributaryException failure) {
                if (!failure.retriable()) {
                    throw failure;
                }
                last = failure;
                continue;
            }
            OffsetAndLogDirRequests.OffsetResults answer = OffsetAndLogDirRequests.parseListOffsets(asked.keySet(),
                    response.body(ListOffsetsResponseData.class));
            answer.offsets().forEach((tp, offset) -> {
                result.put(tp, offset);
                pending.remove(tp);
            });
            for (Map.Entry<TopicPartition, Errors> error : answer.errors().entrySet()) {
                ApiException exception = new ApiException(error.getValue(), "ListOffsets for " + error.getKey()
                        + " on broker " + e.getKey().id() + " failed");
                // A moved leader is found in the next round; an unknown partition stays unknown for this call.
                if (isFinal(exception)) {
                    throw exception;
                }
                last = exception;
            }
        }
        return last;
    }
}
