package io.tributary.broker.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** Answers ApiVersions from the one table the dispatcher also enforces. */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {

    private final SupportedApis supported;

    public ApiVersionsHandler(SupportedApis supported) {
        this.supported = supported;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiVersionsRequestData request) {
        return CompletableFuture.completedFuture(response(Errors.NONE));
    }

    /** The answer to a version we do not know is sent at v0, which every client can read (KIP-511). */
    public ApiVersionsResponseData response(Errors error) {
        return new ApiVersionsResponseData()
                .setErrorCode(error.code())
                .setApiKeys(supported.toApiVersionCollection());
    }
}
