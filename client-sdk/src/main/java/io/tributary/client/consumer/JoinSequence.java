package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.TopicMetadata;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One round of the classic rebalance, without blocking anybody: JoinGroup (which the coordinator holds until
 * every member has joined or the rebalance timeout passes), then, on the member the coordinator picked as
 * leader, the assignment of the group's partitions with the assignor all members chose, then SyncGroup,
 * which hands every member its share. The result is an {@link Outcome} for the consumer thread, which alone
 * runs rebalance callbacks and changes the assignment.
 */
final class JoinSequence {
    private static final Logger log = LoggerFactory.getLogger(JoinSequence.class);
    /** Slack over the rebalance timeout for JoinGroup and SyncGroup, which the coordinator may hold that long (as Kafka). */
    private static final int REBALANCE_REQUEST_SLACK_MS = 5_000;

    sealed interface Outcome permits Joined, Failed {
    }

    /**
     * @param groupTopics every topic some member subscribes to (only known on the leader; empty elsewhere),
     *                    so the leader can watch their partition counts
     */
    record Joined(GroupMembership.Generation generation, boolean leader, List<TopicPartition> assignment,
                  Set<String> groupTopics) implements Outcome {
    }

    /** @param error set for {@link GroupMembership.Reaction#FATAL} */
    record Failed(GroupMembership.Reaction reaction, String message, TributaryException error) implements Outcome {
    }

    /** Lets the consumer walk away from a round (unsubscribe, close) without it touching the membership later. */
    static final class Attempt {
        volatile boolean abandoned;
        final CompletableFuture<Outcome> outcome;

        private Attempt(CompletableFuture<Outcome> outcome) {
            this.outcome = outcome;
        }
    }

    private final GroupConfig config;
    private final CoordinatorChannel channel;
    private final GroupMembership membership;
    private final MetadataCache metadata;
    private final List<PartitionAssignor> assignors;

    JoinSequence(GroupConfig config, CoordinatorChannel channel, GroupMembership membership, MetadataCache metadata,
                 List<PartitionAssignor> assignors) {
        this.config = config;
        this.channel = channel;
        this.membership = membership;
        this.metadata = metadata;
        this.assignors = List.copyOf(assignors);
    }

    Attempt start(List<String> topics, List<TopicPartition> owned, String reason) {
        membership.joinStarted();
        GroupMembership.Generation before = membership.generation();
        // Every assignor gets the same subscription; the order of the map is our order of preference.
        byte[] subscription = ConsumerProtocolCodec.encodeSubscription(topics, owned, before.id());
        Map<String, byte[]> protocols = new LinkedHashMap<>();
        assignors.forEach(a -> protocols.put(a.name(), subscription));
        int timeoutMs = config.maxPollIntervalMs() + REBALANCE_REQUEST_SLACK_MS;
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        Attempt attempt = new Attempt(future);
        channel.ensureKnown()
                .thenCompose(node -> channel.send(ApiKeys.JOIN_GROUP,
                        v -> GroupRequests.joinGroup(v, config, before.memberId(), protocols, reason), timeoutMs))
                .thenCompose(response -> afterJoin(attempt, response, timeoutMs))
                .exceptionally(error -> failedWith(attempt, FutureWaits.asTributary(error)))
                .whenComplete((outcome, error) -> future.complete(outcome != null ? outcome
                        : new Failed(GroupMembership.Reaction.BACKOFF_AND_RETRY, String.valueOf(error), null)));
        return attempt;
    }

    private CompletableFuture<Outcome> afterJoin(Attempt attempt, ClientResponse response, int timeoutMs) {
        JoinGroupResponseData data = response.body(JoinGroupResponseData.class);
        Errors error = Errors.forCode(data.errorCode());
        if (attempt.abandoned) {
            return CompletableFuture.completedFuture(new Failed(GroupMembership.Reaction.IGNORE, "abandoned", null));
        }
        if (error != Errors.NONE) {
            GroupMembership.Reaction reaction = membership.joinFailed(error, data.memberId());
            return CompletableFuture.completedFuture(failed("JoinGroup", error, reaction));
        }
        membership.joined(data.generationId(), data.memberId(), data.protocolName());
        GroupMembership.Generation generation = membership.generation();
        boolean leader = data.leader().equals(data.memberId());
        log.info("Group {}: member {} joined generation {} with protocol {}{}", config.groupId().orElse(""), data.memberId(),
                data.generationId(), data.protocolName(), leader ? " as leader of " + data.members().size() + " members" : "");
        CompletableFuture<Map<String, byte[]>> assignments;
        Set<String> groupTopics = new TreeSet<>();
        if (leader && !data.skipAssignment()) {
            Map<String, MemberSubscription> subscriptions = new HashMap<>();
            for (JoinGroupResponseData.JoinGroupResponseMember m : data.members()) {
                MemberSubscription s = ConsumerProtocolCodec.decodeSubscription(m.metadata(), Optional.ofNullable(m.groupInstanceId()));
                subscriptions.put(m.memberId(), s);
                groupTopics.addAll(s.topics());
            }
            assignments = metadata.fetch(groupTopics).thenApply(snapshot -> assign(data.protocolName(), subscriptions, snapshot));
        } else {
            assignments = CompletableFuture.completedFuture(Map.of());
        }
        return assignments.thenCompose(a -> channel.send(ApiKeys.SYNC_GROUP,
                        v -> GroupRequests.syncGroup(v, config, generation.id(), generation.memberId(), data.protocolName(), a), timeoutMs))
                .thenApply(syncResponse -> afterSync(attempt, syncResponse, generation, leader, groupTopics));
    }

    private Map<String, byte[]> assign(String protocolName, Map<String, MemberSubscription> subscriptions, ClusterSnapshot snapshot) {
        PartitionAssignor assignor = assignors.stream().filter(a -> a.name().equals(protocolName)).findFirst()
                .orElseThrow(() -> new ApiException(Errors.INCONSISTENT_GROUP_PROTOCOL, "The group chose assignor " + protocolName
                        + ", which this consumer did not offer"));
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        for (TopicMetadata t : snapshot.topics().values()) {
            if (t.error() == Errors.NONE && !t.partitions().isEmpty()) {
                partitionsPerTopic.put(t.name(), t.partitions().size());
            }
        }
        Map<String, List<TopicPartition>> assignment = assignor.assign(partitionsPerTopic, subscriptions);
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (String member : subscriptions.keySet()) {
            List<TopicPartition> partitions = assignment.getOrDefault(member, List.of());
            encoded.put(member, ConsumerProtocolCodec.encodeAssignment(partitions));
            log.info("Group {}: assigning {} to member {}", config.groupId().orElse(""), new TreeSet<>(partitions), member);
        }
        return encoded;
    }

    private Outcome afterSync(Attempt attempt, ClientResponse response, GroupMembership.Generation generation, boolean leader,
                              Set<String> groupTopics) {
        SyncGroupResponseData data = response.body(SyncGroupResponseData.class);
        Errors error = Errors.forCode(data.errorCode());
        if (attempt.abandoned) {
            return new Failed(GroupMembership.Reaction.IGNORE, "abandoned", null);
        }
        if (error != Errors.NONE) {
            return failed("SyncGroup", error, membership.syncFailed(error));
        }
        List<TopicPartition> assignment = ConsumerProtocolCodec.decodeAssignment(data.assignment());
        membership.synced();
        return new Joined(generation, leader, new ArrayList<>(assignment), groupTopics);
    }

    private Outcome failed(String api, Errors error, GroupMembership.Reaction reaction) {
        if (reaction == GroupMembership.Reaction.FIND_COORDINATOR_AND_RETRY) {
            channel.markUnknown(api + " answered " + error);
        }
        String message = "Group " + config.groupId().orElse("") + ": " + api + " answered " + error;
        log.info("{}; {}", message, reaction);
        return new Failed(reaction, message, reaction == GroupMembership.Reaction.FATAL ? membership.fatalError() : null);
    }

    /** No answer (connection lost, timeout) or a fatal lookup error: the round is over without a generation. */
    private Outcome failedWith(Attempt attempt, TributaryException error) {
        if (attempt.abandoned) {
            return new Failed(GroupMembership.Reaction.IGNORE, "abandoned", null);
        }
        boolean midSync = membership.state() == GroupMembership.State.COMPLETING_REBALANCE;
        GroupMembership.Reaction reaction = midSync ? membership.syncFailed(Errors.COORDINATOR_NOT_AVAILABLE)
                : membership.joinFailed(Errors.COORDINATOR_NOT_AVAILABLE, membership.memberId());
        if (!error.retriable()) {
            log.error("Group {}: rebalance failed: {}", config.groupId().orElse(""), error.getMessage());
            return new Failed(GroupMembership.Reaction.FATAL, error.getMessage(), error);
        }
        channel.markUnknown(error.getMessage());
        log.info("Group {}: rebalance attempt failed ({}); will find the coordinator and retry", config.groupId().orElse(""),
                error.getMessage());
        return new Failed(reaction, error.getMessage(), null);
    }
}
