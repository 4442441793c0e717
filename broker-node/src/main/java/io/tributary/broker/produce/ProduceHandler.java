package io.tributary.broker.produce;

import io.tributary.broker.group.OffsetsTopic;
import io.tributary.broker.log.AppendResult;
import io.tributary.broker.metrics.RequestMetrics;
import io.tributary.broker.metrics.TopicTraffic;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.CloseConnection;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;

/**
 * Produce: appends each partition's batches on its leader and answers per partition; with acks=all, once
 * every in-sync replica has them (bounded by the request's timeout).
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {

    /** Produce v13 names topics by id (KIP-516). */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;

    private final TopicLookup topics;
    private final PartitionLookup partitions;
    private final TopicTraffic traffic;
    private final RequestMetrics requests;

    public ProduceHandler(TopicLookup topics, PartitionLookup partitions, TopicTraffic traffic, RequestMetrics requests) {
        this.topics = topics;
        this.partitions = partitions;
        this.traffic = traffic;
        this.requests = requests;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ProduceRequestData request) {
        short version = context.apiVersion();
        short acks = request.acks();
        boolean byId = version >= FIRST_VERSION_WITH_TOPIC_IDS;
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            response.responses().add(topicResponse);
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse().setIndex(partitionData.index());
                topicResponse.partitionResponses().add(partitionResponse);
                appends.add(append(byId, topicData, partitionData, acks, request.timeoutMs())
                        .handle((appended, failure) -> {
                            fill(partitionResponse, appended, failure, version);
                            return null;
                        }));
            }
        }
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))
                .thenApply(done -> acks == 0 ? answerWithoutResponse(response) : response);
    }

    private CompletableFuture<Partition.Appended> append(boolean byId, ProduceRequestData.TopicProduceData topicData,
                                                         ProduceRequestData.PartitionProduceData partitionData, short acks,
                                                         int timeoutMs) {
        try {
            if (acks != 0 && acks != 1 && acks != -1) {
                throw new ApiError(Errors.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1 (all), not " + acks);
            }
            TopicMetadata topic = topics.resolve(byId, topicData.name(), topicData.topicId());
            if (OffsetsTopic.isOffsetsTopic(topic.name())) {
                // Only the group coordinator writes its records there (as Kafka refuses appends to internal topics).
                throw new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "cannot produce to the internal topic " + topic.name());
            }
            Partition partition = partitions.leaderFor(topic, partitionData.index());
            if (!(partitionData.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
                throw new ApiError(Errors.INVALID_RECORD, "produce request for " + partition.topicPartition()
                        + " carries no record batch");
            }
            String topicName = topic.name();
            // Counted at the local write, not at the response: an acks=all produce that then times out waiting
            // for the ISR is still in the leader's log. A retried idempotent batch already in the log is answered
            // with bytes 0 and counted once only; offsets are consecutive on the leader, so the span is the count.
            return partition.appendAsLeader(records, acks, timeoutMs, written -> {
                if (written.bytes() > 0) {
                    traffic.produced(topicName, written.lastOffset() - written.firstOffset() + 1, written.bytes());
                }
            }).thenApply(result -> new Partition.Appended(result, partition.logStartOffset()));
        } catch (ApiError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** acks=0: no response, unless a partition failed, which only a closed connection can tell the client. */
    private static ApiMessage answerWithoutResponse(ProduceResponseData response) {
        for (TopicProduceResponse topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    throw new CloseConnection("acks=0 produce to " + (topic.name().isEmpty() ? topic.topicId() : topic.name())
                            + "-" + partition.index() + " failed with " + Errors.forCode(partition.errorCode())
                            + ": " + partition.errorMessage());
                }
            }
        }
        return null;
    }

    private void fill(PartitionProduceResponse response, Partition.Appended appended, Throwable failure, short version) {
        if (failure != null) {
            ApiError error = ApiError.from(failure);
            response.setErrorCode(error.error().code()).setBaseOffset(-1);
            requests.partitionError(ApiKeys.PRODUCE, false, error.error().code());
            if (version >= 8) {
                response.setErrorMessage(error.getMessage());
            }
            return;
        }
        AppendResult result = appended.result();
        response.setErrorCode(Errors.NONE.code())
                .setBaseOffset(result.firstOffset())
                .setLogAppendTimeMs(result.logAppendTimeMs());
        if (version >= 5) {
            response.setLogStartOffset(appended.logStartOffset());
        }
    }
}
