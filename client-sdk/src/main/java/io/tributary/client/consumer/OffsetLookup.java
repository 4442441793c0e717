package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves offsets with ListOffsets sent to each partition's leader (only the leader knows its log
 * start and high watermark). Errors are returned per partition so callers retry only what failed.
 */
final class OffsetLookup {
    record Result(Map<TopicPartition, Long> offsets, Map<TopicPartition, TributaryException> errors) {
    }

    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final int requestTimeoutMs;
    private final long retryBackoffMs;

    OffsetLookup(ConnectionPool pool, MetadataCache metadata, int requestTimeoutMs, long retryBackoffMs) {
        this.pool = pool;
        this.metadata = metadata;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
    }

    /** One round of ListOffsets, one request per leader; never fails as a whole. */
    CompletableFuture<Result> lookup(Map<TopicPartition, Long> timestamps) {
        ClusterSnapshot cluster = metadata.snapshot();
        Map<Node, Map<TopicPartition, Long>> byLeader = new LinkedHashMap<>();
        Map<TopicPartition, TributaryException> errors = new HashMap<>();
        timestamps.forEach((tp, ts) -> {
            Optional<Node> leader = cluster.leaderFor(tp);
            if (leader.isPresent()) {
                byLeader.computeIfAbsent(leader.get(), n -> new LinkedHashMap<>()).put(tp, ts);
            } else {
                errors.put(tp, new ApiException(Errors.LEADER_NOT_AVAILABLE, "No leader known for " + tp));
            }
        });
        if (!errors.isEmpty()) {
            metadata.requestUpdate();
        }
        List<CompletableFuture<Result>> parts = new ArrayList<>();
        byLeader.forEach((node, request) -> parts.add(send(node, request)));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            Map<TopicPartition, TributaryException> allErrors = new HashMap<>(errors);
            for (CompletableFuture<Result> part : parts) {
                Result r = part.join();
                offsets.putAll(r.offsets());
                allErrors.putAll(r.errors());
            }
            return new Result(offsets, allErrors);
        });
    }

    private CompletableFuture<Result> send(Node leader, Map<TopicPartition, Long> timestamps) {
        return pool.forNode(leader)
                .send(OutboundRequest.of(ApiKeys.LIST_OFFSETS, v -> ListOffsetsRequests.build(timestamps), requestTimeoutMs))
                .handle((response, error) -> {
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    Map<TopicPartition, TributaryException> errors = new HashMap<>();
                    if (error != null) {
                        metadata.requestUpdate();
                        TributaryException e = FutureWaits.asTributary(error);
                        timestamps.keySet().forEach(tp -> errors.put(tp, e));
                        return new Result(offsets, errors);
                    }
                    for (ListOffsetsResponseData.ListOffsetsTopicResponse t : response.body(ListOffsetsResponseData.class).topics()) {
                        for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions()) {
                            TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                            Errors e = Errors.forCode(p.errorCode());
                            if (e == Errors.NONE) {
                                offsets.put(tp, p.offset());
                            } else {
                                if (e.exception() instanceof InvalidMetadataException) {
                                    metadata.requestUpdate();
                                }
                                errors.put(tp, new ApiException(e, "ListOffsets for " + tp + " on broker " + leader.id() + " failed"));
                            }
                        }
                    }
                    for (TopicPartition tp : timestamps.keySet()) {
                        if (!offsets.containsKey(tp) && !errors.containsKey(tp)) {
                            errors.put(tp, new ApiException(Errors.UNKNOWN_SERVER_ERROR, "Broker " + leader.id()
                                    + " sent no ListOffsets result for " + tp));
                        }
                    }
                    return new Result(offsets, errors);
                });
    }

    /**
     * Looks up until every partition has an offset, retrying retriable errors after a metadata refresh.
     *
     * @throws ApiException for a non-retriable error
     * @throws TimeoutException when {@code deadlineMs} passes first
     */
    Map<TopicPartition, Long> lookupBlocking(Map<TopicPartition, Long> timestamps, long deadlineMs) {
        Map<TopicPartition, Long> remaining = new LinkedHashMap<>(timestamps);
        Map<TopicPartition, Long> found = new HashMap<>();
        TributaryException last = null;
        boolean staleLeaders = false;
        while (true) {
            // A leader that moved (NOT_LEADER_OR_FOLLOWER, a fenced epoch, a dropped connection) is only flagged by
            // the failed request: nothing else refreshes the metadata while this call blocks, so refresh here.
            if (staleLeaders || remaining.keySet().stream().anyMatch(tp -> metadata.snapshot().leaderFor(tp).isEmpty())) {
                metadata.awaitRefresh(deadlineMs);
            }
            Result r = FutureWaits.await(lookup(remaining), deadlineMs, "ListOffsets for " + remaining.keySet());
            found.putAll(r.offsets());
            r.offsets().keySet().forEach(remaining::remove);
            staleLeaders = false;
            for (Map.Entry<TopicPartition, TributaryException> e : r.errors().entrySet()) {
                if (!e.getValue().retriable()) {
                    throw e.getValue();
                }
                last = e.getValue();
                staleLeaders |= !(e.getValue() instanceof ApiException api) || api.error().exception() instanceof InvalidMetadataException;
            }
            if (remaining.isEmpty()) {
                return found;
            }
            if (MonotonicClock.nowMs() >= deadlineMs) {
                throw new TimeoutException("Could not list offsets for " + remaining.keySet() + " in time"
                        + (last == null ? "" : "; last error: " + last.getMessage()), last);
            }
            FutureWaits.backoff(retryBackoffMs, deadlineMs);
        }
    }
}
