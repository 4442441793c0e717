package io.tributary.broker.offsets;

import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.metadata.TopicMetadata;
import java.util.OptionalLong;
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
 * it. Timestamp lookups read the disk, so the whole request runs on the read pool.
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
            TimestampAndOffset found = lookUp(partition, request.timestamp());
            response.setErrorCode(Errors.NONE.code()).setOffset(found.offset()).setTimestamp(found.timestamp());
            if (version >= 4) {
                response.setLeaderEpoch(found.offset() >= 0 ? partition.leadership().leaderEpoch() : -1);
            }
        } catch (ApiError e) {
            response.setErrorCode(e.error().code()).setOffset(-1).setTimestamp(-1);
        }
        return response;
    }

    private record TimestampAndOffset(long timestamp, long offset) {}

    private static TimestampAndOffset lookUp(Partition partition, long timestamp) {
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, partition.logStartOffset());
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            return new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, partition.highWatermark());
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return maxTimestamp(partition);
        }
        if (timestamp < 0) {
            throw new ApiError(Errors.INVALID_REQUEST, "unknown special timestamp " + timestamp);
        }
        return firstAtOrAfter(partition, timestamp);
    }

    /** The index finds the batch; the exact record is the first in it whose timestamp reaches the target. */
    private static TimestampAndOffset firstAtOrAfter(Partition partition, long timestamp) {
        OptionalLong candidate = partition.offsetForTimestamp(timestamp);
        long highWatermark = partition.highWatermark();
        if (candidate.isEmpty() || candidate.getAsLong() >= highWatermark) {
            return new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, -1);
        }
        long offset = candidate.getAsLong();
        while (offset < highWatermark) {
            LogReadResult read = partition.readCommitted(offset, 1);
            long next = offset;
            for (RecordBatch batch : read.records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset && record.timestamp() >= timestamp) {
                        return new TimestampAndOffset(record.timestamp(), record.offset());
                    }
                }
                next = batch.nextOffset();
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, -1);
    }

    /** KIP-734: the offset of the record with the largest timestamp; scans batch headers only. */
    private static TimestampAndOffset maxTimestamp(Partition partition) {
        long bestTimestamp = RecordBatch.NO_TIMESTAMP;
        long bestBatchBase = -1;
        long offset = partition.logStartOffset();
        long highWatermark = partition.highWatermark();
        while (offset < highWatermark) {
            LogReadResult read = partition.readCommitted(offset, 1 << 20);
            long next = offset;
            for (RecordBatch batch : read.records().batches()) {
                if (batch.maxTimestamp() > bestTimestamp) {
                    bestTimestamp = batch.maxTimestamp();
                    bestBatchBase = batch.baseOffset();
                }
                next = batch.nextOffset();
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        if (bestBatchBase < 0) {
            return new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, -1);
        }
        for (Record record : partition.readCommitted(bestBatchBase, 1).records().batches().iterator().next()) {
            if (record.timestamp() == bestTimestamp) {
                return new TimestampAndOffset(bestTimestamp, record.offset());
            }
        }
        return new TimestampAndOffset(bestTimestamp, bestBatchBase);
    }
}
