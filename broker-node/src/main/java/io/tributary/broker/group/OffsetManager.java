package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets: OffsetCommit, OffsetFetch, OffsetDelete and their expiry. A commit is written to the group's
 * offsets partition and applied in memory only once it is committed to that partition's ISR, so an acknowledged
 * commit survives the coordinator's death, and a failed one changes nothing.
 */
public final class OffsetManager {

    private static final Logger log = LoggerFactory.getLogger(OffsetManager.class);
    /** OffsetFetch v8 batches groups (KIP-709). */
    private static final short FIRST_MULTI_GROUP_FETCH = 8;

    private final int brokerId;
    private final CoordinatorShards shards;
    private final GroupCoordinator coordinator;
    private final TopicMetadataCache topics;
    private final GroupSettings settings;

    public OffsetManager(int brokerId, CoordinatorShards shards, GroupCoordinator coordinator, TopicMetadataCache topics,
                         GroupSettings settings) {
        this.brokerId = brokerId;
        this.shards = shards;
        this.coordinator = coordinator;
        this.topics = topics;
        this.settings = settings;
    }

    // ---- OffsetCommit ----

    public CompletableFuture<OffsetCommitResponseData> commit(RequestContext context, OffsetCommitRequestData request) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        Map<TopicPartition, OffsetCommitResponseData.OffsetCommitResponsePartition> slots = new HashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponseData.OffsetCommitResponsePartition slot =
                        new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(slot);
                slots.put(new TopicPartition(topic.name(), p.partitionIndex()), slot);
            }
        }
        try {
            if (request.groupId() == null || request.groupId().isEmpty()) {
                throw new ApiError(Errors.INVALID_GROUP_ID, "the group id must not be empty");
            }
            CoordinatorShard shard = shards.shardFor(request.groupId());
            long now = System.currentTimeMillis();
            List<SimpleRecord> records = new ArrayList<>();
            List<TopicPartition> written = new ArrayList<>();
            List<CommittedOffset> values = new ArrayList<>();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
                for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    Errors error = validatePartition(tp, p);
                    if (error != Errors.NONE) {
                        slots.get(tp).setErrorCode(error.code());
                        continue;
                    }
                    String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                    CommittedOffset value = new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), metadata, now, -1);
                    records.add(GroupRecords.offsetRecord(request.groupId(), tp, new GroupRecords.OffsetValue(value.offset(),
                            value.leaderEpoch(), metadata, now), now));
                    written.add(tp);
                    values.add(value);
                }
            }
            ClassicGroup group = acceptCommit(shard, request);
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(response);
            }
            CompletableFuture<Long> appended;
            synchronized (group) {
                // Queued under the lock so commits reach the log in the order they were accepted.
                appended = coordinator.appender().append(shard, records);
                group.commitsPending(written);
            }
            return appended.handle((firstOffset, failure) -> {
                synchronized (group) {
                    group.commitsSettled(written); // before the answer: an acknowledged commit is pending no more
                }
                if (failure != null) {
                    Errors error = GroupLogAppender.asGroupError(failure).error();
                    written.forEach(tp -> slots.get(tp).setErrorCode(error.code()));
                    log.debug("Broker {}: commit of group {} failed: {}", brokerId, request.groupId(), failure.toString());
                    return response;
                }
                ClassicGroup target = group;
                synchronized (group) {
                    if (group.is(GroupState.DEAD) && shard.isCurrent()) {
                        // Removed (deleted or expired) while this commit was being written: the commit outlives it.
                        target = shard.groups.computeIfAbsent(request.groupId(), id -> new ClassicGroup(id, System.currentTimeMillis()));
                    }
                }
                synchronized (target) {
                    if (shard.isCurrent() && !target.is(GroupState.DEAD)) {
                        for (int i = 0; i < written.size(); i++) {
                            CommittedOffset v = values.get(i);
                            target.applyCommit(written.get(i), new CommittedOffset(v.offset(), v.leaderEpoch(), v.metadata(),
                                    v.commitTimestamp(), firstOffset + i));
                        }
                    }
                }
                written.forEach(tp -> slots.get(tp).setErrorCode(Errors.NONE.code()));
                return response;
            });
        } catch (ApiError e) {
            slots.values().forEach(slot -> slot.setErrorCode(e.error().code()));
            return CompletableFuture.completedFuture(response);
        }
    }

    private Errors validatePartition(TopicPartition tp, OffsetCommitRequestData.OffsetCommitRequestPartition p) {
        boolean exists = topics.topic(tp.topic()).map(t -> t.partitions().containsKey(tp.partition())).orElse(false);
        if (!exists) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (p.committedMetadata() != null && p.committedMetadata().length() > settings.maxMetadataBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }

    /**
     * Who may commit (Kafka's rules): a member of the current generation (also while a rebalance is prepared), or,
     * for a group without members, anyone with generation -1 (simple consumers, --reset-offsets, kcat's assign).
     */
    private ClassicGroup acceptCommit(CoordinatorShard shard, OffsetCommitRequestData request) {
        String groupId = request.groupId();
        boolean simple = request.generationIdOrMemberEpoch() < 0;
        for (int attempt = 0; attempt < 2; attempt++) {
            ClassicGroup group = simple
                    ? shard.groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, System.currentTimeMillis()))
                    : shard.groups.get(groupId);
            if (group == null) {
                throw new ApiError(Errors.ILLEGAL_GENERATION, "group " + groupId + " does not exist, so generation "
                        + request.generationIdOrMemberEpoch() + " is not current");
            }
            synchronized (group) {
                if (!shard.isCurrent()) {
                    // Unloaded since shardFor: never let a fresh group land in a shard nobody serves any more.
                    throw new ApiError(Errors.NOT_COORDINATOR, "broker " + brokerId + " stopped coordinating " + shard
                            + " (group " + groupId + ")");
                }
                if (group.is(GroupState.DEAD)) {
                    shard.groups.remove(groupId, group);
                    continue;
                }
                if (group.isFenced(request.groupInstanceId(), request.memberId())) {
                    throw new ApiError(Errors.FENCED_INSTANCE_ID, "group.instance.id " + request.groupInstanceId() + " of group "
                            + groupId + " now belongs to another member");
                }
                if (simple && group.members.isEmpty()) {
                    return group;
                }
                if (group.is(GroupState.COMPLETING_REBALANCE)) {
                    throw new ApiError(Errors.REBALANCE_IN_PROGRESS, "group " + groupId + " is completing a rebalance");
                }
                GroupMember member = GroupCoordinator.checkMember(group, request.memberId(), request.groupInstanceId(),
                        request.generationIdOrMemberEpoch());
                coordinator.resetSession(shard, group, member); // a commit is as good as a heartbeat
                return group;
            }
        }
        throw new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "group " + groupId + " was just removed");
    }

    // ---- OffsetFetch ----

    public CompletableFuture<OffsetFetchResponseData> fetch(RequestContext context, OffsetFetchRequestData request) {
        short version = context.apiVersion();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= FIRST_MULTI_GROUP_FETCH) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup requested : request.groups()) {
                OffsetFetchResponseData.OffsetFetchResponseGroup group = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                        .setGroupId(requested.groupId());
                List<TopicRequest> wanted = requested.topics() == null ? null : requested.topics().stream()
                        .map(t -> new TopicRequest(t.name(), t.partitionIndexes())).toList();
                try {
                    for (Map.Entry<String, List<PartitionOffset>> topic : fetchGroup(requested.groupId(), wanted).entrySet()) {
                        OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse =
                                new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic.getKey());
                        for (PartitionOffset p : topic.getValue()) {
                            topicResponse.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                    .setPartitionIndex(p.partition).setCommittedOffset(p.offset).setCommittedLeaderEpoch(p.leaderEpoch)
                                    .setMetadata(p.metadata).setErrorCode(Errors.NONE.code()));
                        }
                        group.topics().add(topicResponse);
                    }
                } catch (ApiError e) {
                    group.setErrorCode(e.error().code());
                    group.topics().clear();
                }
                response.groups().add(group);
            }
            return CompletableFuture.completedFuture(response);
        }
        List<TopicRequest> wanted = request.topics() == null ? null : request.topics().stream()
                .map(t -> new TopicRequest(t.name(), t.partitionIndexes())).toList();
        try {
            for (Map.Entry<String, List<PartitionOffset>> topic : fetchGroup(request.groupId(), wanted).entrySet()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic topicResponse =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.getKey());
                for (PartitionOffset p : topic.getValue()) {
                    OffsetFetchResponseData.OffsetFetchResponsePartition partition = new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(p.partition).setCommittedOffset(p.offset).setMetadata(p.metadata)
                            .setErrorCode(Errors.NONE.code());
                    if (version >= 5) {
                        partition.setCommittedLeaderEpoch(p.leaderEpoch);
                    }
                    topicResponse.partitions().add(partition);
                }
                response.topics().add(topicResponse);
            }
        } catch (ApiError e) {
            if (version >= 2) {
                response.setErrorCode(e.error().code());
                response.topics().clear();
            } else {
                // v1 has no top-level error: every requested partition carries it.
                response.topics().clear();
                for (TopicRequest t : wanted == null ? List.<TopicRequest>of() : wanted) {
                    OffsetFetchResponseData.OffsetFetchResponseTopic topicResponse =
                            new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name);
                    t.partitions.forEach(p -> topicResponse.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("").setErrorCode(e.error().code())));
                    response.topics().add(topicResponse);
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private record TopicRequest(String name, List<Integer> partitions) {}

    private record PartitionOffset(int partition, long offset, int leaderEpoch, String metadata) {}

    /**
     * The committed offsets asked for (or all of the group's when {@code wanted} is null); a partition without a
     * commit answers offset -1. requireStable (KIP-447) needs nothing more: without transactions no commit is pending.
     */
    private Map<String, List<PartitionOffset>> fetchGroup(String groupId, List<TopicRequest> wanted) {
        CoordinatorShard shard = shards.shardFor(groupId);
        ClassicGroup group = shard.groups.get(groupId);
        Map<String, List<PartitionOffset>> result = new LinkedHashMap<>();
        if (group == null) {
            if (wanted != null) {
                wanted.forEach(t -> result.put(t.name, t.partitions.stream().map(p -> new PartitionOffset(p, -1, -1, "")).toList()));
            }
            return result;
        }
        synchronized (group) {
            if (wanted == null) {
                group.offsets.forEach((tp, o) -> result.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                        .add(new PartitionOffset(tp.partition(), o.offset(), o.leaderEpoch(), o.metadata())));
            } else {
                for (TopicRequest t : wanted) {
                    List<PartitionOffset> partitions = new ArrayList<>();
                    for (int p : t.partitions) {
                        Optional<CommittedOffset> o = group.offset(new TopicPartition(t.name, p));
                        partitions.add(o.map(c -> new PartitionOffset(p, c.offset(), c.leaderEpoch(), c.metadata()))
                                .orElse(new PartitionOffset(p, -1, -1, "")));
                    }
                    result.put(t.name, partitions);
                }
            }
        }
        return result;
    }

    // ---- OffsetDelete ----

    public CompletableFuture<OffsetDeleteResponseData> delete(RequestContext context, OffsetDeleteRequestData request) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        try {
            CoordinatorShard shard = shards.shardFor(request.groupId());
            ClassicGroup group = shard.groups.get(request.groupId());
            if (group == null) {
                throw new ApiError(Errors.GROUP_ID_NOT_FOUND, "group " + request.groupId() + " does not exist");
            }
            List<TopicPartition> deletable = new ArrayList<>();
            CompletableFuture<Long> appended;
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    throw new ApiError(Errors.GROUP_ID_NOT_FOUND, "group " + request.groupId() + " does not exist");
                }
                Set<String> subscribed = subscribedTopics(group);
                long now = System.currentTimeMillis();
                List<SimpleRecord> tombstones = new ArrayList<>();
                for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
                    OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                            new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
                    for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                        Errors error = subscribed.contains(topic.name()) ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                        TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                        if (error == Errors.NONE && group.offsets.containsKey(tp)) {
                            deletable.add(tp);
                            tombstones.add(GroupRecords.offsetRecord(group.groupId, tp, null, now));
                        }
                        topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
                    }
                    response.topics().add(topicResponse);
                }
                if (tombstones.isEmpty()) {
                    return CompletableFuture.completedFuture(response);
                }
                appended = coordinator.appender().append(shard, tombstones);
            }
            return appended.handle((offset, failure) -> {
                if (failure != null) {
                    return new OffsetDeleteResponseData().setErrorCode(GroupLogAppender.asGroupError(failure).error().code());
                }
                synchronized (group) {
                    deletable.forEach(tp -> group.applyTombstone(tp, offset));
                }
                log.info("Broker {}: deleted the committed offsets of group {} for {}", brokerId, group.groupId, deletable);
                return response;
            });
        } catch (ApiError e) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData().setErrorCode(e.error().code()));
        }
    }

    /** The topics the group's consumers subscribe to; offsets of those may not be deleted while it has members. */
    private static Set<String> subscribedTopics(ClassicGroup group) {
        Set<String> topics = new HashSet<>();
        if (group.members.isEmpty() || !"consumer".equals(group.protocolType) || group.protocolName == null) {
            return topics;
        }
        for (GroupMember member : group.members.values()) {
            byte[] metadata = member.protocols.get(group.protocolName);
            if (metadata == null) {
                continue;
            }
            try {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
            } catch (RuntimeException e) {
                log.debug("Group {}: unreadable subscription of member {}", group.groupId, member.memberId);
            }
        }
        return topics;
    }

    // ---- expiry ----

    /**
     * Expires the offsets of empty groups (offsets.retention.minutes after the group became empty, or after the
     * commit for groups that never had members), writing tombstones; a group left with nothing is removed too.
     */
    public void expireOffsets() {
        long now = System.currentTimeMillis();
        for (CoordinatorShard shard : shards.all()) {
            if (shard.status() != CoordinatorShard.Status.ACTIVE) {
                continue;
            }
            for (ClassicGroup group : List.copyOf(shard.groups.values())) {
                synchronized (group) {
                    OffsetExpiry.Expired selected = OffsetExpiry.select(group, now, settings.retentionMs());
                    if (selected.isEmpty()) {
                        continue;
                    }
                    List<TopicPartition> expired = selected.offsets();
                    boolean removeGroup = selected.removeGroup();
                    List<SimpleRecord> tombstones = new ArrayList<>();
                    expired.forEach(tp -> tombstones.add(GroupRecords.offsetRecord(group.groupId, tp, null, now)));
                    if (removeGroup) {
                        tombstones.add(GroupRecords.groupRecord(group.groupId, null, now));
                    }
                    coordinator.appender().append(shard, tombstones).whenComplete((offset, failure) -> {
                        if (failure != null) {
                            log.warn("Broker {}: could not expire the offsets of group {}: {}", brokerId, group.groupId, failure.toString());
                            return;
                        }
                        synchronized (group) {
                            expired.forEach(tp -> group.applyTombstone(tp, offset));
                            if (removeGroup && group.is(GroupState.EMPTY) && group.offsets.isEmpty() && group.pendingMembers.isEmpty()
                                    && group.pendingCommits.isEmpty()) {
                                group.restore(GroupState.DEAD, System.currentTimeMillis());
                                shard.groups.remove(group.groupId, group);
                            }
                        }
                        log.info("Broker {}: expired {} committed offset(s) of empty group {}{}", brokerId, expired.size(),
                                group.groupId, removeGroup ? "; the group is removed" : "");
                    });
                }
            }
        }
    }
}
