package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.config.ConfigStore;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs (v1-4): topic configs from the metadata cache (its copy of {@code /config/topics}), broker configs
 * from server.properties plus the dynamic overrides this broker follows. Served from memory on the event loop.
 * A broker resource names this broker (the Admin client sends it to the broker it names) or "" for the cluster
 * defaults; each resource gets its own error.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {

    private static final String NO_DOCUMENTATION = new DescribeConfigsResourceResult().documentation();

    private final int brokerId;
    private final TopicMetadataCache metadata;
    private final ConfigDescriber describer;

    public DescribeConfigsHandler(int brokerId, TopicMetadataCache metadata, ConfigDescriber describer) {
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.describer = describer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeConfigsRequestData request) {
        short version = context.apiVersion();
        boolean synonyms = request.includeSynonyms();
        boolean documentation = version >= 3 && request.includeDocumentation();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()).setErrorCode(Errors.NONE.code());
            try {
                result.setConfigs(describe(resource, synonyms, documentation));
                if (version < 3) {
                    result.configs().forEach(c -> c.setConfigType((byte) 0).setDocumentation(NO_DOCUMENTATION));
                }
            } catch (ApiError e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private List<DescribeConfigsResourceResult> describe(DescribeConfigsRequestData.DescribeConfigsResource resource,
                                                         boolean synonyms, boolean documentation) {
        byte type = resource.resourceType();
        // null asks for every config (what the Admin client sends); an empty list is read the same way.
        List<String> keys = resource.configurationKeys() == null || resource.configurationKeys().isEmpty()
                ? null : resource.configurationKeys();
        if (ConfigResources.isTopic(type)) {
            Optional<TopicMetadata> topic = metadata.topic(resource.resourceName());
            if (topic.isEmpty()) {
                throw new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic " + resource.resourceName() + " does not exist");
            }
            return describer.topic(topic.get().configs(), keys, synonyms, documentation);
        }
        if (ConfigResources.isBroker(type)) {
            String entity = ConfigResources.brokerEntity(resource.resourceName());
            if (!entity.equals(ConfigStore.DEFAULT_BROKER_ENTITY) && !entity.equals(Integer.toString(brokerId))) {
                throw new ApiError(Errors.INVALID_REQUEST, "broker " + brokerId + " describes only its own configs, not "
                        + "broker " + entity + "'s: send the request to that broker");
            }
            return describer.broker(entity, keys, synonyms, documentation);
        }
        throw ConfigResources.unsupportedType(type);
    }
}
