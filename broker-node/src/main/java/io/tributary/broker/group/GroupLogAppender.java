package io.tributary.broker.group;

import io.tributary.broker.log.AppendResult;
import io.tributary.broker.protocol.ApiError;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Writes group records to the shard's offsets partition as an acks=all produce would: the future completes once
 * the high watermark passes the batch (it is in every ISR replica), or fails with the group API's error code, as
 * Kafka maps them: a lost leadership is NOT_COORDINATOR, an ISR or timeout problem COORDINATOR_NOT_AVAILABLE.
 */
final class GroupLogAppender {

    private final int timeoutMs;

    GroupLogAppender(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** Appends the records as one batch; completes with the offset of the first record. */
    CompletableFuture<Long> append(CoordinatorShard shard, List<SimpleRecord> records) {
        if (!shard.isCurrent()) {
            return CompletableFuture.failedFuture(new ApiError(Errors.NOT_COORDINATOR, "no longer leading " + shard));
        }
        // Bound to the shard's term: a write that would land after a new term began (and its replay) is refused.
        return shard.partition.appendAsLeader(GroupRecords.batch(records), (short) -1, timeoutMs, shard.leaderEpoch)
                .thenApply(AppendResult::firstOffset)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(asGroupError(failure)));
    }

    static ApiError asGroupError(Throwable failure) {
        ApiError error = ApiError.from(failure);
        Errors mapped = switch (error.error()) {
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR, NOT_COORDINATOR -> Errors.NOT_COORDINATOR;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT,
                 COORDINATOR_NOT_AVAILABLE -> Errors.COORDINATOR_NOT_AVAILABLE;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
        return new ApiError(mapped, "writing to " + OffsetsTopic.NAME + " failed: " + error.error() + " " + error.getMessage());
    }
}
