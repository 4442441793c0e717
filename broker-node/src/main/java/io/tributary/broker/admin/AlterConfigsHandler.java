package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * The legacy AlterConfigs (v0-2): the configs in the request replace the resource's whole override set (a key
 * left out goes back to its default), as in Kafka. Same validation and all-or-nothing write as the incremental API.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {

    private final ConfigAlterer alterer;
    private final Executor zkPool;

    public AlterConfigsHandler(ConfigAlterer alterer, Executor zkPool) {
        this.alterer = alterer;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AlterConfigsRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData();
            for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
                AlterConfigsResourceResponse result = new AlterConfigsResourceResponse().setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName()).setErrorCode(Errors.NONE.code());
                try {
                    List<ConfigAlterer.Change> changes = new ArrayList<>();
                    resource.configs().forEach(c -> changes.add(new ConfigAlterer.Change(c.name(), ConfigAlterer.Op.SET, c.value())));
                    alterer.alter(resource.resourceType(), resource.resourceName(), changes, true, request.validateOnly());
                } catch (RuntimeException e) {
                    ApiError error = ApiError.from(e);
                    result.setErrorCode(error.error().code()).setErrorMessage(error.getMessage());
                }
                response.responses().add(result);
            }
            return response;
        }, zkPool);
    }
}
