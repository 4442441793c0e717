package io.tributary.broker.offsets;

import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.metadata.TopicMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: the offsets consumers start from. Earliest is the log start offset, latest the high
 * watermark (a consumer can never read past it), and a timestamp finds the first record at or after
 * it. Timestamp lookups read the disk (indexes, one batch), so the whole request runs on the read pool.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {

    private final TopicLookup topics;
    private final PartitionLookup partitions;
    private final Executor readPool;

    public ListOffsetsHandler(TopicLookup topics, PartitionLookup partitions, Executor readPool) {
        this.topics = topics;
        this.partitions = partitions;
        this.readPool = readPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ListOffsetsRequestData request) {
        short version = context.apiVersion();
        return CompletableFuture.supplyAsync(() -> {
            ListOffsetsResponseData response = new ListOffsetsResponseData();
            for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
                ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
                response.topics().add(topicResponse);
                for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                    topicResponse.partitions().add(answer(topic.name(), partition, version));
                }
            }
            return response;
        }, readPool);
    }

    private ListOffsetsPartitionResponse answer(String topicName, ListOffsetsRequestData.ListOffsetsPartition request,
                                                short version) {
        ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
                .setPartitionIndex(request.partitionIndex());
        try {
            TopicMetadata topic = topics.resolve(false, topicName, null);
            Partition partition = partitions.leaderFor(topic, request.partitionIndex());
            if (version >= 4) {
                PartitionLookup.checkLeaderEpoch(partition, request.currentLeaderEpoch());
            }
            TimestampOffset found = lookUp(partition, request.timestamp());
            response.setErrorCode(Errors.NONE.code()).setOffset(found.offset()).setTimestamp(found.timestamp());
            if (version >= 4) {
                response.setLeaderEpoch(leaderEpochOf(partition, request.timestamp(), found.offset()));
            }
        } catch (RuntimeException e) {
            response.setErrorCode(ApiError.from(e).error().code()).setOffset(-1).setTimestamp(-1);
        }
        return response;
    }

    private static final TimestampOffset NOT_FOUND = new TimestampOffset(RecordBatch.NO_TIMESTAMP, -1);

    private static TimestampOffset lookUp(Partition partition, long timestamp) {
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return new TimestampOffset(RecordBatch.NO_TIMESTAMP, partition.logStartOffset());
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            return new TimestampOffset(RecordBatch.NO_TIMESTAMP, partition.highWatermark());
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return partition.maxTimestamp().map(max -> exactRecord(partition, max)).orElse(NOT_FOUND);
        }
        if (timestamp < 0) {
            throw new ApiError(Errors.INVALID_REQUEST, "unknown special timestamp " + timestamp);
        }
        return partition.findCommittedByTimestamp(timestamp).orElse(NOT_FOUND);
    }

    /**
     * KIP-734 answers with the record holding the largest timestamp; the log knows its batch, so only
     * that one batch is read to find the record. Not yet committed data is not shown.
     */
    private static TimestampOffset exactRecord(Partition partition, TimestampOffset batchWithMax) {
        if (batchWithMax.offset() >= partition.highWatermark()) {
            return NOT_FOUND;
        }
        for (RecordBatch batch : partition.readCommitted(batchWithMax.offset(), 1).records().batches()) {
            for (Record record : batch) {
                if (record.timestamp() == batchWithMax.timestamp()) {
                    return new TimestampOffset(record.timestamp(), record.offset());
                }
            }
        }
        return batchWithMax;
    }

    /** KIP-320: the epoch of the returned offset; for "latest", the current epoch. */
    private static int leaderEpochOf(Partition partition, long requestedTimestamp, long offset) {
        if (offset < 0) {
            return -1;
        }
        if (requestedTimestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return partition.leadership().leaderEpoch();
        }
        return partition.leaderEpochAt(offset);
    }
}
