package io.tributary.broker.admin;

import io.tributary.broker.group.OffsetsTopic;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords (v0-2), served by each partition's leader: raises the log start offset to the requested offset
 * (-1 = the high watermark), durably, and deletes the segments wholly below it. An offset above the high
 * watermark gets OFFSET_OUT_OF_RANGE (uncommitted records are never deleted). Followers learn the new start
 * from the logStartOffset of their next fetch response and advance too. Kafka answers once every replica has
 * advanced (the low watermark); this broker answers with the leader's new start, which is what bounds reads.
 * The internal {@code __consumer_offsets} is refused with INVALID_TOPIC_EXCEPTION, as Kafka does.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {

    private static final Logger log = LoggerFactory.getLogger(DeleteRecordsHandler.class);
    private static final long TO_HIGH_WATERMARK = -1L;

    private final int brokerId;
    private final TopicLookup topics;
    private final PartitionLookup partitions;

    public DeleteRecordsHandler(int brokerId, TopicLookup topics, PartitionLookup partitions) {
        this.brokerId = brokerId;
        this.topics = topics;
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteRecordsRequestData request) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsRequestData.DeleteRecordsPartition requested : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(requested.partitionIndex()).setLowWatermark(-1);
                topicResult.partitions().add(result);
                pending.add(delete(topic.name(), requested, result));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private CompletableFuture<Void> delete(String topicName, DeleteRecordsRequestData.DeleteRecordsPartition requested,
                                           DeleteRecordsPartitionResult result) {
        if (OffsetsTopic.isOffsetsTopic(topicName)) {
            // As Kafka: a raised start offset on the offsets topic would silently drop groups at their next load.
            log.info("Broker {}: DeleteRecords on {}-{} refused: cannot delete records of internal topic {}", brokerId,
                    topicName, requested.partitionIndex(), topicName);
            result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
            return CompletableFuture.completedFuture(null);
        }
        Partition partition;
        try {
            partition = partitions.leaderFor(topics.resolve(false, topicName, null), requested.partitionIndex());
        } catch (ApiError e) {
            result.setErrorCode(e.error().code());
            return CompletableFuture.completedFuture(null);
        }
        // The writer serialises this with appends and retention; the high watermark is read there too.
        return partition.onWriter(() -> {
            long highWatermark = partition.highWatermark();
            long offset = requested.offset() == TO_HIGH_WATERMARK ? highWatermark : requested.offset();
            if (offset < 0 || offset > highWatermark) {
                throw new ApiError(Errors.OFFSET_OUT_OF_RANGE, "cannot delete records of " + partition.topicPartition()
                        + " before offset " + requested.offset() + ": the high watermark is " + highWatermark);
            }
            long start = partition.log().advanceLogStartOffset(offset);
            log.info("Broker {}: DeleteRecords on {} before offset {}: log start offset now {}", brokerId,
                    partition.topicPartition(), offset, start);
            return start;
        }).handle((start, failure) -> {
            if (failure == null) {
                result.setErrorCode(Errors.NONE.code()).setLowWatermark(start);
            } else {
                ApiError error = ApiError.from(failure);
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                result.setErrorCode(cause instanceof OffsetOutOfRangeException ? Errors.OFFSET_OUT_OF_RANGE.code()
                        : error.error().code());
            }
            return null;
        });
    }
}
