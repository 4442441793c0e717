package io.tributary.broker.group;

import io.tributary.broker.protocol.RequestDispatcher;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The group coordinator assembled, and the group APIs it serves with their versions: those the official 4.x
 * client (group.protocol=classic), Kafka's 4.x tools and librdkafka use (docs/protocol.md, "Consumer groups").
 * OffsetCommit and OffsetFetch stop at v9: v10 names topics by id, which the classic clients do not need.
 */
public final class GroupApis {

    private final FindCoordinatorHandler findCoordinator;
    private final GroupCoordinator coordinator;
    private final OffsetManager offsets;
    private final GroupAdmin admin;
    private final CoordinatorShards shards;

    public GroupApis(int brokerId, OffsetsTopic offsetsTopic, BrokerRegistry brokers, TopicMetadataCache topics,
                     ScheduledExecutorService timers, Executor loadPool, GroupSettings settings) {
        this.shards = new CoordinatorShards(brokerId, offsetsTopic, loadPool);
        this.findCoordinator = new FindCoordinatorHandler(offsetsTopic, brokers);
        this.coordinator = new GroupCoordinator(brokerId, shards, timers, settings);
        this.offsets = new OffsetManager(brokerId, shards, coordinator, topics, settings);
        this.admin = new GroupAdmin(brokerId, shards, coordinator);
    }

    /** Follows the leadership of the offsets partitions: register with the ReplicaManager before it activates. */
    public CoordinatorShards shards() {
        return shards;
    }

    /** The committed offsets of every group this broker coordinates (for the consumer-lag metrics). */
    public List<GroupOffset> committedOffsets() {
        return shards.committedOffsets();
    }

    /** Expires offsets of empty groups every {@code intervalMs}. */
    public void scheduleExpiry(ScheduledExecutorService timers, Executor pool, long intervalMs) {
        timers.scheduleWithFixedDelay(() -> pool.execute(offsets::expireOffsets), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    public RequestDispatcher.Builder register(RequestDispatcher.Builder builder) {
        return builder
                .register(ApiKeys.FIND_COORDINATOR, 0, 6, findCoordinator)
                .register(ApiKeys.JOIN_GROUP, 0, 9, (c, r) -> widen(coordinator.joinGroup(c, (JoinGroupRequestData) r)))
                .register(ApiKeys.SYNC_GROUP, 0, 5, (c, r) -> widen(coordinator.syncGroup(c, (SyncGroupRequestData) r)))
                .register(ApiKeys.HEARTBEAT, 0, 4, (c, r) -> widen(coordinator.heartbeat(c, (HeartbeatRequestData) r)))
                .register(ApiKeys.LEAVE_GROUP, 0, 5, (c, r) -> widen(coordinator.leaveGroup(c, (LeaveGroupRequestData) r)))
                .register(ApiKeys.OFFSET_COMMIT, 2, 9, (c, r) -> widen(offsets.commit(c, (OffsetCommitRequestData) r)))
                .register(ApiKeys.OFFSET_FETCH, 1, 9, (c, r) -> widen(offsets.fetch(c, (OffsetFetchRequestData) r)))
                .register(ApiKeys.OFFSET_DELETE, 0, 0, (c, r) -> widen(offsets.delete(c, (OffsetDeleteRequestData) r)))
                .register(ApiKeys.LIST_GROUPS, 0, 5, (c, r) -> widen(admin.listGroups(c, (ListGroupsRequestData) r)))
                .register(ApiKeys.DESCRIBE_GROUPS, 0, 6, (c, r) -> widen(admin.describeGroups(c, (DescribeGroupsRequestData) r)))
                .register(ApiKeys.DELETE_GROUPS, 0, 2, (c, r) -> widen(admin.deleteGroups(c, (DeleteGroupsRequestData) r)));
    }

    private static CompletableFuture<ApiMessage> widen(CompletableFuture<? extends ApiMessage> future) {
        return future.thenApply(message -> message);
    }
}
