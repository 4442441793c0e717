package io.tributary.broker.replication;

import io.tributary.broker.log.EpochEndOffset;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetsForLeaderEpoch (KIP-101, KIP-279, KIP-320): for each partition this broker leads, where the
 * requested leader epoch ends in its log: the start of the next higher epoch, or the log end offset for the
 * current one. Followers truncate to the answer before fetching; consumers use it to detect truncation.
 * Answered from the in-memory epoch cache, so on the event loop.
 */
public final class OffsetsForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {

    private final TopicLookup topics;
    private final PartitionLookup partitions;

    public OffsetsForLeaderEpochHandler(TopicLookup topics, PartitionLookup partitions) {
        this.topics = topics;
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, OffsetForLeaderEpochRequestData request) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult result =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(result);
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition asked : topic.partitions()) {
                result.partitions().add(answer(topic.topic(), asked));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset answer(String topic,
                                                                   OffsetForLeaderEpochRequestData.OffsetForLeaderPartition asked) {
        OffsetForLeaderEpochResponseData.EpochEndOffset answer = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(asked.partition());
        try {
            Partition partition = partitions.leaderFor(topics.resolve(false, topic, null), asked.partition());
            PartitionLookup.checkLeaderEpoch(partition, asked.currentLeaderEpoch());
            EpochEndOffset end = partition.log().endOffsetForEpoch(asked.leaderEpoch());
            return answer.setErrorCode(Errors.NONE.code()).setLeaderEpoch(end.leaderEpoch()).setEndOffset(end.endOffset());
        } catch (ApiError e) {
            return answer.setErrorCode(e.error().code()).setLeaderEpoch(EpochEndOffset.UNDEFINED_EPOCH)
                    .setEndOffset(EpochEndOffset.UNDEFINED_OFFSET);
        }
    }
}
