package io.tributary.broker.topic;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.controller.ControllerElection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics, served by the controller as in Kafka (others answer NOT_CONTROLLER and the client
 * retries there). Answers once every new partition has a leader or the request's timeout has passed,
 * so a client can produce as soon as the call returns.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {

    private final ControllerElection controller;
    private final TopicCreator creator;
    private final MetadataWaiter waiter;
    private final Executor zkPool;

    public CreateTopicsHandler(ControllerElection controller, TopicCreator creator, MetadataWaiter waiter, Executor zkPool) {
        this.controller = controller;
        this.creator = creator;
        this.waiter = waiter;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, CreateTopicsRequestData request) {
        short version = context.apiVersion();
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            response.topics().add(result);
            pending.add(CompletableFuture
                    .supplyAsync(() -> createOne(topic, request.validateOnly()), zkPool)
                    .thenCompose(created -> request.validateOnly() || created.topicId() == null
                            ? CompletableFuture.completedFuture(created)
                            : waiter.await(MetadataWaiter.allLeadersElected(topic.name()), request.timeoutMs())
                                    .thenApply(elected -> {
                                        if (!elected) {
                                            // As Kafka: the topic exists, but the caller's deadline passed first.
                                            throw new ApiError(Errors.REQUEST_TIMED_OUT, "topic " + topic.name()
                                                    + " was created but not every partition had a leader within "
                                                    + request.timeoutMs() + " ms");
                                        }
                                        return created;
                                    }))
                    .handle((created, failure) -> {
                        fill(result, created, failure, version);
                        return null;
                    }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private TopicCreator.Created createOne(CreateTopicsRequestData.CreatableTopic topic, boolean validateOnly) {
        if (!controller.isController()) {
            throw new ApiError(Errors.NOT_CONTROLLER, "this broker is not the controller; the controller is broker "
                    + controller.controllerId());
        }
        Map<Integer, List<Integer>> manual = new LinkedHashMap<>();
        topic.assignments().forEach(a -> manual.put(a.partitionIndex(), List.copyOf(a.brokerIds())));
        if (!manual.isEmpty() && (topic.numPartitions() != -1 || topic.replicationFactor() != -1)) {
            throw new ApiError(Errors.INVALID_REQUEST,
                    "give either a replica assignment or a partition count and replication factor, not both");
        }
        Map<String, String> configs = new LinkedHashMap<>();
        topic.configs().forEach(c -> configs.put(c.name(), c.value()));
        return creator.create(new TopicCreator.Request(topic.name(), topic.numPartitions(), topic.replicationFactor(),
                manual, configs), validateOnly);
    }

    private static void fill(CreatableTopicResult result, TopicCreator.Created created, Throwable failure, short version) {
        if (failure != null) {
            ApiError error = ApiError.from(failure);
            result.setErrorCode(error.error().code()).setErrorMessage(error.getMessage());
            return;
        }
        result.setErrorCode(Errors.NONE.code());
        if (version >= 5) {
            result.setNumPartitions(created.partitions()).setReplicationFactor((short) created.replicationFactor());
        }
        if (version >= 7 && created.topicId() != null) {
            result.setTopicId(Uuid.fromString(created.topicId()));
        }
    }
}
