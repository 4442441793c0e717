package io.tributary.broker.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a decoded request to its handler. A handler that throws or fails becomes the API's own error
 * response (error codes are data), so a bug in one request never takes the connection down.
 */
public final class RequestDispatcher {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Map<ApiKeys, ApiHandler<ApiMessage>> handlers;
    private final SupportedApis supported;
    private final int brokerId;

    private final ApiVersionsHandler apiVersions;
    private volatile BiConsumer<ApiKeys, Errors> failures =
            (api, error) -> { };

    private RequestDispatcher(int brokerId, Map<ApiKeys, ApiHandler<ApiMessage>> handlers, SupportedApis supported,
                              ApiVersionsHandler apiVersions) {
        this.brokerId = brokerId;
        this.handlers = handlers;
        this.supported = supported;
        this.apiVersions = apiVersions;
    }

    /** The v0 answer to an ApiVersions request at a version newer than ours. */
    public ApiMessage unsupportedApiVersionsResponse() {
        return apiVersions.response(Errors.UNSUPPORTED_VERSION);
    }

    public static Builder builder(int brokerId) {
        return new Builder(brokerId);
    }

    /** Told of every request whose handler failed as a whole, with the error it is answered with (for metrics). */
    public void onFailure(BiConsumer<ApiKeys, Errors> listener) {
        this.failures = listener;
    }

    public SupportedApis supportedApis() {
        return supported;
    }

    public CompletableFuture<ApiMessage> dispatch(RequestContext context, AbstractRequest request) {
        ApiHandler<ApiMessage> handler = handlers.get(context.apiKey());
        CompletableFuture<ApiMessage> result;
        try {
            result = handler.handle(context, request.data());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof CloseConnection close) {
                throw close;
            }
            if (expectsNoResponse(request)) {
                // The client reads no answer to this request, so an error response would be taken as
                // the answer to its next request; closing is the only way to tell it.
                throw new CloseConnection(context.apiKey() + " with acks=0 failed: " + cause);
            }
            log.error("Broker {}: {} v{} from client {} failed; answering with an error response",
                    brokerId, context.apiKey(), context.apiVersion(), context.clientId(), cause);
            failures.accept(context.apiKey(), ApiError.from(cause).error());
            return request.getErrorResponse(0, cause).data();
        });
    }

    private static boolean expectsNoResponse(AbstractRequest request) {
        return request instanceof ProduceRequest produce && produce.acks() == 0;
    }

    public static final class Builder {
        private final int brokerId;
        private final Map<ApiKeys, ApiHandler<ApiMessage>> handlers = new EnumMap<>(ApiKeys.class);
        private final SupportedApis.Builder supported = SupportedApis.builder();

        private Builder(int brokerId) {
            this.brokerId = brokerId;
        }

        @SuppressWarnings("unchecked")
        public <REQ extends ApiMessage> Builder register(ApiKeys api, int minVersion, int maxVersion, ApiHandler<REQ> handler) {
            supported.add(api, minVersion, maxVersion);
            handlers.put(api, (ApiHandler<ApiMessage>) handler);
            return this;
        }

        /** See {@link SupportedApis.Builder#advertiseFrom}. */
        public Builder advertiseFrom(ApiKeys api, int advertisedMin) {
            supported.advertiseFrom(api, advertisedMin);
            return this;
        }

        /** Adds ApiVersions itself, answered from the table of everything registered. */
        public RequestDispatcher build() {
            supported.add(ApiKeys.API_VERSIONS, 0, 4);
            SupportedApis apis = supported.build();
            Map<ApiKeys, ApiHandler<ApiMessage>> all = new EnumMap<>(handlers);
            ApiVersionsHandler apiVersions = new ApiVersionsHandler(apis);
            all.put(ApiKeys.API_VERSIONS, (context, request) ->
                    apiVersions.handle(context, (org.apache.kafka.common.message.ApiVersionsRequestData) request));
            return new RequestDispatcher(brokerId, all, apis, apiVersions);
        }
    }
}
