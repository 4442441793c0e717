package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * IncrementalAlterConfigs (KIP-339, v0-1): SET, DELETE, APPEND and SUBTRACT on topic configs and dynamic broker
 * configs, each resource written to ZooKeeper whole or not at all ({@link ConfigAlterer}); {@code validateOnly}
 * checks without writing. Served by any broker, on the ZooKeeper pool.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {

    private final ConfigAlterer alterer;
    private final Executor zkPool;

    public IncrementalAlterConfigsHandler(ConfigAlterer alterer, Executor zkPool) {
        this.alterer = alterer;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, IncrementalAlterConfigsRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
                AlterConfigsResourceResponse result = new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName()).setErrorCode(Errors.NONE.code());
                try {
                    alter(resource, request.validateOnly());
                } catch (RuntimeException e) {
                    ApiError error = ApiError.from(e);
                    result.setErrorCode(error.error().code()).setErrorMessage(error.getMessage());
                }
                response.responses().add(result);
            }
            return response;
        }, zkPool);
    }

    private void alter(IncrementalAlterConfigsRequestData.AlterConfigsResource resource, boolean validateOnly) {
        List<ConfigAlterer.Change> changes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new ApiError(Errors.INVALID_REQUEST, "config " + config.name() + " is altered twice in one request");
            }
            changes.add(new ConfigAlterer.Change(config.name(), ConfigAlterer.Op.of(config.configOperation()), config.value()));
        }
        alterer.alter(resource.resourceType(), resource.resourceName(), changes, false, validateOnly);
    }
}
