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
 * metadata after retry.backoff.ms, until request.timeout.ms has passed. Each partition ends with its own offset or
 * error: an answered partition is never lost because another one timed out.
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

    ListOffsetsResult list(Map<TopicPartition, OffsetSpec> specs) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<TopicPartition, TributaryException> errors = new HashMap<>();
        Map<TopicPartition, OffsetSpec> pending = new LinkedHashMap<>(specs);
        Map<TopicPartition, TributaryException> lastErrors = new HashMap<>();
        while (!pending.isEmpty() && MonotonicClock.nowMs() < deadline) {
            try {
                round(pending, offsets, errors, lastErrors, deadline);
            } catch (TributaryException e) {
                // The metadata could not be fetched: every pending partition shares the error.
                if (!e.retriable()) {
                    pending.keySet().forEach(tp -> errors.put(tp, e));
                    pending.clear();
                }
                pending.keySet().forEach(tp -> lastErrors.put(tp, e));
            }
            if (!pending.isEmpty()) {
                FutureWaits.backoff(config.retryBackoffMs(), deadline);
            }
        }
        pending.keySet().forEach(tp -> {
            TributaryException last = lastErrors.get(tp);
            errors.put(tp, new TimeoutException("Could not list the offsets of " + tp + " within request.timeout.ms="
                    + config.requestTimeoutMs() + (last == null ? "" : "; last error: " + last.getMessage()), last));
        });
        return new ListOffsetsResult(offsets, errors);
    }

    /** Not worth another round: a non-retriable error, or a partition that does not exist (retriable in Kafka). */
    private static boolean isFinal(TributaryException e) {
        return !e.retriable() || e instanceof ApiException api && api.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /**
     * One request per leader; moves each answered or finally failed partition from pending to offsets or errors, and
     * records the retriable error of each partition that stays pending.
     */
    private void round(Map<TopicPartition, OffsetSpec> pending, Map<TopicPartition, Long> offsets,
                       Map<TopicPartition, TributaryException> errors, Map<TopicPartition, TributaryException> lastErrors,
                       long deadline) {
        Set<String> topics = new TreeSet<>();
        pending.keySet().forEach(tp -> topics.add(tp.topic()));
        ClusterSnapshot cluster = FutureWaits.await(metadata.fetch(topics), deadline, "fetch metadata to list offsets");
        Map<Node, Map<TopicPartition, OffsetSpec>> byLeader = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, OffsetSpec> e : Map.copyOf(pending).entrySet()) {
            TopicPartition tp = e.getKey();
            Optional<Node> leader = cluster.leaderFor(tp);
            if (leader.isPresent()) {
                byLeader.computeIfAbsent(leader.get(), n -> new LinkedHashMap<>()).put(tp, e.getValue());
            } else if (cluster.topic(tp.topic()).isEmpty() || cluster.partition(tp).isEmpty()) {
                errors.put(tp, new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Cannot list the offsets of " + tp
                        + ": the partition is not in the metadata"));
                pending.remove(tp);
            } else {
                lastErrors.put(tp, new ApiException(Errors.LEADER_NOT_AVAILABLE, tp + " has no leader at the moment"));
            }
        }
        long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
        Map<Node, CompletableFuture<ClientResponse>> sent = new LinkedHashMap<>();
        byLeader.forEach((leader, asked) -> sent.put(leader, pool.forNode(leader)
                .send(OutboundRequest.of(ApiKeys.LIST_OFFSETS, v -> OffsetAndLogDirRequests.listOffsets(asked), remaining))));
        for (Map.Entry<Node, CompletableFuture<ClientResponse>> e : sent.entrySet()) {
            Map<TopicPartition, OffsetSpec> asked = byLeader.get(e.getKey());
            ClientResponse response;
            try {
                response = FutureWaits.await(e.getValue(), deadline, "list offsets on broker " + e.getKey().id());
            } catch (TributaryException failure) {
                // Only this leader's partitions share its failure; a final one ends them, a retriable one retries.
                asked.keySet().forEach(tp -> {
                    if (failure.retriable()) {
                        lastErrors.put(tp, failure);
                    } else {
                        errors.put(tp, failure);
                        pending.remove(tp);
                    }
                });
                continue;
            }
            OffsetAndLogDirRequests.OffsetResults answer = OffsetAndLogDirRequests.parseListOffsets(asked.keySet(),
                    response.body(ListOffsetsResponseData.class));
            answer.offsets().forEach((tp, offset) -> {
                offsets.put(tp, offset);
                pending.remove(tp);
            });
            answer.errors().forEach((tp, error) -> {
                ApiException exception = new ApiException(error, "ListOffsets for " + tp + " on broker "
                        + e.getKey().id() + " failed");
                // A moved leader is found in the next round; an unknown partition stays unknown for this call.
                if (isFinal(exception)) {
                    errors.put(tp, exception);
                    pending.remove(tp);
                } else {
                    lastErrors.put(tp, exception);
                }
            });
        }
    }
}
