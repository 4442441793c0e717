package io.tributary.broker.topic;

import io.tributary.broker.group.OffsetsTopic;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.coordinator.topics.UnknownTopicException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTopics, served by the controller: writes a deletion marker, which the controller carries out,
 * and answers when the topic is gone from the metadata (or REQUEST_TIMED_OUT, the deletion still going on).
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {

    private static final Logger log = LoggerFactory.getLogger(DeleteTopicsHandler.class);

    private final int brokerId;
    private final boolean enabled;
    private final ControllerElection controller;
    private final TopicStore store;
    private final TopicLookup topics;
    private final MetadataWaiter waiter;
    private final Executor zkPool;

    public DeleteTopicsHandler(int brokerId, boolean enabled, ControllerElection controller, TopicStore store,
                               TopicLookup topics, MetadataWaiter waiter, Executor zkPool) {
        this.brokerId = brokerId;
        this.enabled = enabled;
        this.controller = controller;
        this.store = store;
        this.topics = topics;
        this.waiter = waiter;
        this.zkPool = zkPool;
    }

    private record Target(String name, Uuid id) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteTopicsRequestData request) {
        short version = context.apiVersion();
        List<Target> targets = new ArrayList<>();
        if (version >= 6) {
            request.topics().forEach(t -> targets.add(new Target(t.name(), t.topicId())));
        } else {
            request.topicNames().forEach(name -> targets.add(new Target(name, Uuid.ZERO_UUID)));
        }
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Target target : targets) {
            DeletableTopicResult result = new DeletableTopicResult().setName(target.name());
            if (version >= 6) {
                result.setTopicId(target.id());
            }
            response.responses().add(result);
            pending.add(CompletableFuture.supplyAsync(() -> markForDeletion(target), zkPool)
                    .thenCompose(topic -> waiter.await(MetadataWaiter.topicGone(topic.name()), request.timeoutMs())
                            .thenApply(gone -> {
                                if (!gone) {
                                    throw new ApiError(Errors.REQUEST_TIMED_OUT, "deletion of " + topic.name()
                                            + " is under way but did not finish within " + request.timeoutMs() + " ms");
                                }
                                return topic;
                            }))
                    .handle((topic, failure) -> {
                        if (topic != null) {
                            result.setName(topic.name());
                            if (version >= 6) {
                                result.setTopicId(TopicLookup.idOf(topic));
                            }
                        }
                        ApiError error = failure == null ? null : ApiError.from(failure);
                        result.setErrorCode(error == null ? Errors.NONE.code() : error.error().code());
                        if (version >= 5 && error != null) {
                            result.setErrorMessage(error.getMessage());
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private TopicMetadata markForDeletion(Target target) {
        if (!enabled) {
            throw new ApiError(Errors.TOPIC_DELETION_DISABLED, "delete.topic.enable is false on broker " + brokerId);
        }
        if (!controller.isController()) {
            throw new ApiError(Errors.NOT_CONTROLLER, "this broker is not the controller; the controller is broker "
                    + controller.controllerId());
        }
        boolean byId = target.name() == null && target.id() != null && !target.id().equals(Uuid.ZERO_UUID);
        TopicMetadata topic = topics.resolve(byId, target.name(), target.id());
        if (OffsetsTopic.isOffsetsTopic(topic.name())) {
            // Kafka's tools refuse this too: every group's offsets and metadata would be gone.
            throw new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "topic " + topic.name()
                    + " is an internal topic and cannot be deleted");
        }
        try {
            store.markForDeletion(topic.name());
        } catch (UnknownTopicException e) {
            throw new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, e.getMessage());
        }
        log.info("Broker {}: topic {} marked for deletion", brokerId, topic.name());
        return topic;
    }
}
