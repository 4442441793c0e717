package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The group calls behind {@link Admin}: each goes to the group's coordinator, found with FindCoordinator
 * before every attempt. A coordinator that moved or is still loading the group (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) and lost connections are retried after
 * retry.backoff.ms until request.timeout.ms has passed; any other error is the caller's, at once.
 */
final class GroupAdmin {
    private static final Logger log = LoggerFactory.getLogger(GroupAdmin.class);

    private final AdminConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;

    GroupAdmin(AdminConfig config, ConnectionPool pool, MetadataCache metadata) {
        this.config = config;
        this.pool = pool;
        this.metadata = metadata;
    }

    /** ListGroups to every broker (each lists the groups it coordinates), merged and sorted by group id. */
    List<GroupListing> listGroups() {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        Map<Integer, Node> pending = new HashMap<>(awaitBrokers(deadline));
        Map<String, GroupListing> merged = new TreeMap<>();
        TributaryException last = null;
        while (true) {
            Map<Integer, CompletableFuture<ClientResponse>> sent = new LinkedHashMap<>();
            long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
            pending.forEach((id, node) -> sent.put(id, pool.forNode(node)
                    .send(OutboundRequest.of(ApiKeys.LIST_GROUPS, v -> GroupRequests.listGroups(), remaining))));
            for (Map.Entry<Integer, CompletableFuture<ClientResponse>> e : sent.entrySet()) {
                try {
                    ClientResponse response = FutureWaits.await(e.getValue(), deadline, "ListGroups to broker " + e.getKey());
                    GroupRequests.listingsFrom(response.version(), response.body(ListGroupsResponseData.class), e.getKey())
                            .forEach(g -> merged.putIfAbsent(g.groupId(), g));
                    pending.remove(e.getKey());
                } catch (TributaryException error) {
                    if (!isRetriable(error)) {
                        throw error;
                    }
                    last = error;
                }
            }
            if (pending.isEmpty()) {
                return List.copyOf(merged.values());
            }
            if (MonotonicClock.nowMs() >= deadline) {
                throw timeout("list the groups of brokers " + pending.keySet(), last);
            }
            log.debug("Retrying ListGroups to brokers {} after {}", pending.keySet(), last == null ? "" : last.getMessage());
            FutureWaits.backoff(config.retryBackoffMs(), deadline);
        }
    }

    Map<String, GroupDescription> describeGroups(Collection<String> groupIds) {
        Map<String, GroupDescription> result = new LinkedHashMap<>();
        for (String groupId : new LinkedHashSet<>(groupIds)) {
            result.put(groupId, callCoordinator(groupId, "describe group '" + groupId + "'", ApiKeys.DESCRIBE_GROUPS,
                    v -> GroupRequests.describeGroup(groupId),
                    (response, coordinator) -> GroupRequests.descriptionFrom(
                            response.body(DescribeGroupsResponseData.class), groupId, coordinator)));
        }
        return result;
    }

    Map<TopicPartition, Long> listGroupOffsets(String groupId) {
        return callCoordinator(groupId, "fetch the committed offsets of group '" + groupId + "'", ApiKeys.OFFSET_FETCH,
                v -> GroupRequests.offsetFetch(v, groupId),
                (response, coordinator) -> GroupRequests.committedOffsetsFrom(response.version(),
                        response.body(OffsetFetchResponseData.class), groupId));
    }

    void alterGroupOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        offsets.forEach((tp, offset) -> {
            if (offset < 0) {
                throw new IllegalArgumentException("Cannot commit offset " + offset + " for " + tp + ": offsets are >= 0");
            }
        });
        callCoordinator(groupId, "commit offsets of group '" + groupId + "'", ApiKeys.OFFSET_COMMIT,
                v -> GroupRequests.offsetCommit(groupId, offsets),
                (response, coordinator) -> {
                    GroupRequests.checkOffsetCommit(response.body(OffsetCommitResponseData.class), groupId);
                    return null;
                });
        log.info("Committed offsets of group {} for {} partitions", groupId, offsets.size());
    }

    /** Deletes each group; tries them all, then reports every failure. */
    void deleteGroups(Collection<String> groupIds) {
        List<String> failures = new ArrayList<>();
        ApiException first = null;
        for (String groupId : new LinkedHashSet<>(groupIds)) {
            try {
                callCoordinator(groupId, "delete group '" + groupId + "'", ApiKeys.DELETE_GROUPS,
                        v -> GroupRequests.deleteGroup(groupId),
                        (response, coordinator) -> {
                            GroupRequests.checkDeleteGroup(response.body(DeleteGroupsResponseData.class), groupId);
                            return null;
                        });
                log.info("Deleted group {}", groupId);
            } catch (ApiException e) {
                failures.add(e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw failures.size() == 1 ? first : new ApiException(first.error(), "Cannot delete groups: " + failures);
        }
    }

    void deleteGroupOffsets(String groupId, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        callCoordinator(groupId, "delete offsets of group '" + groupId + "'", ApiKeys.OFFSET_DELETE,
                v -> GroupRequests.offsetDelete(groupId, partitions),
                (response, coordinator) -> {
                    GroupRequests.checkOffsetDelete(response.body(OffsetDeleteResponseData.class), groupId);
                    return null;
                });
        log.info("Deleted offsets of group {} for {}", groupId, partitions);
    }

    /**
     * Finds the group's coordinator, sends it the request and interprets the answer; repeats from the
     * lookup after a coordinator error or a lost connection until request.timeout.ms has passed.
     */
    private <T> T callCoordinator(String groupId, String what, ApiKeys api, Function<Short, ApiMessage> body,
                                  BiFunction<ClientResponse, Node, T> interpret) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadline) {
            try {
                Node coordinator = findCoordinator(groupId, deadline);
                long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
                ClientResponse response = FutureWaits.await(
                        pool.forNode(coordinator).send(OutboundRequest.of(api, body, remaining)), deadline, what);
                return interpret.apply(response, coordinator);
            } catch (TimeoutException e) {
                // The deadline ran out inside a request: the error that kept us retrying is the useful one to report.
                throw timeout(what, last == null ? e : last);
            } catch (TributaryException e) {
                if (!isRetriable(e)) {
                    throw e;
                }
                last = e;
            }
            log.debug("Retrying {} after {}", what, last.getMessage());
            FutureWaits.backoff(config.retryBackoffMs(), deadline);
        }
        throw timeout(what, last);
    }

    private Node findCoordinator(String groupId, long deadline) {
        long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
        ClientResponse response = FutureWaits.await(metadata.anyBroker().send(OutboundRequest.of(ApiKeys.FIND_COORDINATOR,
                v -> GroupRequests.findCoordinator(v, groupId), remaining)), deadline, "find the coordinator of group '" + groupId + "'");
        return GroupRequests.coordinatorFrom(response.version(), response.body(FindCoordinatorResponseData.class), groupId);
    }

    private Map<Integer, Node> awaitBrokers(long deadline) {
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadline) {
            try {
                return FutureWaits.await(metadata.fetch(List.of()), deadline, "fetch the list of brokers").brokers();
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
                FutureWaits.backoff(config.retryBackoffMs(), deadline);
            }
        }
        throw timeout("fetch the list of brokers", last);
    }

    /**
     * Coordinator errors and connection failures are worth another try; other broker errors are not, even
     * those Kafka calls retriable (UNKNOWN_TOPIC_OR_PARTITION on a commit would only repeat until the timeout).
     */
    private static boolean isRetriable(TributaryException e) {
        if (e instanceof ApiException api) {
            return GroupRequests.COORDINATOR_ERRORS.contains(api.error());
        }
        return e.retriable() && !(e instanceof TimeoutException);
    }

    private TimeoutException timeout(String what, TributaryException last) {
        return new TimeoutException("Could not " + what + " within request.timeout.ms=" + config.requestTimeoutMs()
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }
}
