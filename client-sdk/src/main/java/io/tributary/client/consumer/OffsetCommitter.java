package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MonotonicClock;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Commits and reads a group's offsets at its coordinator (OffsetCommit v2-v9, OffsetFetch v1-v9). A commit
 * carries the member id and generation, so the coordinator refuses commits from a member whose generation is
 * over (its partitions may have moved). A committed offset is the position: the next record to read.
 */
final class OffsetCommitter {
    private final GroupConfig config;
    private final CoordinatorChannel channel;
    private final GroupMembership membership;
    private final int requestTimeoutMs;
    private final long retryBackoffMs;

    OffsetCommitter(GroupConfig config, CoordinatorChannel channel, GroupMembership membership, int requestTimeoutMs,
                    long retryBackoffMs) {
        this.config = config;
        this.channel = channel;
        this.membership = membership;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
    }

    /**
     * One OffsetCommit. Fails with a retriable {@link TributaryException} when the coordinator could not take it
     * (moved, loading, unreachable), {@link CommitFailedException} when the generation is over or rebalancing.
     */
    CompletableFuture<Void> commitOnce(Map<TopicPartition, Long> offsets, GroupMembership.Generation generation) {
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<TopicPartition, Long> copy = Map.copyOf(offsets);
        return channel.ensureKnown()
                .thenCompose(node -> channel.send(ApiKeys.OFFSET_COMMIT, v -> commitRequest(v, copy, generation), requestTimeoutMs))
                .thenApply(response -> {
                    checkCommit(response, generation);
                    return null;
                });
    }

    /** Commits, retrying retriable failures until {@code deadlineMs}. */
    void commitSync(Map<TopicPartition, Long> offsets, GroupMembership.Generation generation, long deadlineMs) {
        TributaryException last = null;
        while (true) {
            try {
                FutureWaits.await(commitOnce(offsets, generation), deadlineMs, "OffsetCommit of " + offsets.keySet());
                return;
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
            }
            if (MonotonicClock.nowMs() >= deadlineMs) {
                throw new TimeoutException("Could not commit offsets of " + new TreeSet<>(offsets.keySet()) + " for group "
                        + config.groupId().orElse("") + " in time; last error: " + last.getMessage(), last);
            }
            FutureWaits.backoff(retryBackoffMs, deadlineMs);
        }
    }

    /** The committed offsets of {@code partitions}; partitions with no commit are absent. Retries until the deadline. */
    Map<TopicPartition, Long> fetchCommitted(Set<TopicPartition> partitions, long deadlineMs) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        TributaryException last = null;
        while (true) {
            try {
                return FutureWaits.await(channel.ensureKnown().thenCompose(node -> channel.send(ApiKeys.OFFSET_FETCH,
                                v -> fetchRequest(v, partitions), requestTimeoutMs)).thenApply(this::parseFetch),
                        deadlineMs, "OffsetFetch of " + partitions);
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
            }
            if (MonotonicClock.nowMs() >= deadlineMs) {
                throw new TimeoutException("Could not fetch committed offsets of " + new TreeSet<>(partitions) + " for group "
                        + config.groupId().orElse("") + " in time; last error: " + last.getMessage(), last);
            }
            FutureWaits.backoff(retryBackoffMs, deadlineMs);
        }
    }

    private OffsetCommitRequestData commitRequest(short version, Map<TopicPartition, Long> offsets, GroupMembership.Generation generation) {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId(config.groupId().orElseThrow())
                .setGenerationIdOrMemberEpoch(generation.id())
                .setMemberId(generation.memberId());
        if (version >= 7) {
            data.setGroupInstanceId(config.groupInstanceId().orElse(null));
        }
        Map<String, List<OffsetCommitRequestData.OffsetCommitRequestPartition>> byTopic = new HashMap<>();
        new TreeSet<>(offsets.keySet()).forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(tp.partition())
                        .setCommittedOffset(offsets.get(tp)).setCommittedMetadata("")));
        byTopic.forEach((topic, ps) -> data.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setName(topic).setPartitions(ps)));
        return data;
    }

    private static final Set<Errors> MEMBERSHIP_ERRORS = EnumSet.of(Errors.REBALANCE_IN_PROGRESS, Errors.UNKNOWN_MEMBER_ID,
            Errors.ILLEGAL_GENERATION, Errors.FENCED_INSTANCE_ID, Errors.COORDINATOR_NOT_AVAILABLE, Errors.NOT_COORDINATOR,
            Errors.COORDINATOR_LOAD_IN_PROGRESS);

    private void checkCommit(ClientResponse response, GroupMembership.Generation generation) {
        OffsetCommitResponseData data = response.body(OffsetCommitResponseData.class);
        for (OffsetCommitResponseData.OffsetCommitResponseTopic t : data.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition p : t.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.NONE) {
                    continue;
                }
                String where = "OffsetCommit of " + t.name() + "-" + p.partitionIndex() + " for group " + config.groupId().orElse("");
                // Only errors about the membership or the coordinator concern the member; any other (an authorization
                // failure, metadata too large, ...) fails this commit alone, as in Kafka's client.
                GroupMembership.Reaction reaction = MEMBERSHIP_ERRORS.contains(error)
                        ? membership.memberRequestFailed("OffsetCommit", error, generation) : GroupMembership.Reaction.IGNORE;
                switch (error) {
                    case REBALANCE_IN_PROGRESS, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> throw new CommitFailedException(where
                            + " failed with " + error + ": the group rebalanced and the partitions may belong to another member now;"
                            + " poll() to rejoin (records since the last commit may be delivered again)");
                    default -> {
                        if (reaction == GroupMembership.Reaction.FIND_COORDINATOR_AND_RETRY) {
                            channel.markUnknown(error.name());
                        }
                        throw new ApiException(error, where + " failed");
                    }
                }
            }
        }
    }

    private OffsetFetchRequestData fetchRequest(short version, Collection<TopicPartition> partitions) {
        Set<String> topics = new TreeSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        OffsetFetchRequestData data = new OffsetFetchRequestData();
        if (version >= 8) {
            // v8+ asks for several groups at once (KIP-709); we ask for ours.
            OffsetFetchRequestData.OffsetFetchRequestGroup group = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                    .setGroupId(config.groupId().orElseThrow());
            for (String topic : topics) {
                group.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic)
                        .setPartitionIndexes(GroupRequests.partitionsOf(topic, partitions)));
            }
            return data.setGroups(List.of(group));
        }
        data.setGroupId(config.groupId().orElseThrow());
        for (String topic : topics) {
            data.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic)
                    .setPartitionIndexes(GroupRequests.partitionsOf(topic, partitions)));
        }
        return data;
    }

    private Map<TopicPartition, Long> parseFetch(ClientResponse response) {
        OffsetFetchResponseData data = response.body(OffsetFetchResponseData.class);
        Map<TopicPartition, Long> committed = new HashMap<>();
        if (response.version() >= 8) {
            for (OffsetFetchResponseData.OffsetFetchResponseGroup g : data.groups()) {
                checkFetchError(Errors.forCode(g.errorCode()));
                for (OffsetFetchResponseData.OffsetFetchResponseTopics t : g.topics()) {
                    for (OffsetFetchResponseData.OffsetFetchResponsePartitions p : t.partitions()) {
                        addCommitted(committed, t.name(), p.partitionIndex(), p.committedOffset(), Errors.forCode(p.errorCode()));
                    }
                }
            }
            return committed;
        }
        if (response.version() >= 2) {
            checkFetchError(Errors.forCode(data.errorCode()));
        }
        for (OffsetFetchResponseData.OffsetFetchResponseTopic t : data.topics()) {
            for (OffsetFetchResponseData.OffsetFetchResponsePartition p : t.partitions()) {
                addCommitted(committed, t.name(), p.partitionIndex(), p.committedOffset(), Errors.forCode(p.errorCode()));
            }
        }
        return committed;
    }

    private void addCommitted(Map<TopicPartition, Long> committed, String topic, int partition, long offset, Errors error) {
        checkFetchError(error);
        if (offset >= 0) { // -1: nothing committed
            committed.put(new TopicPartition(topic, partition), offset);
        }
    }

    private void checkFetchError(Errors error) {
        if (error == Errors.NONE) {
            return;
        }
        if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
            channel.markUnknown("OffsetFetch answered " + error);
        }
        // COORDINATOR_LOAD_IN_PROGRESS and UNSTABLE_OFFSET_COMMIT are retriable: the caller retries.
        throw new ApiException(error, "OffsetFetch for group " + config.groupId().orElse("") + " failed");
    }
}
