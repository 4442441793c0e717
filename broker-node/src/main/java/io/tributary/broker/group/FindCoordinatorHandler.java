package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator before the group coordinator exists: every key is answered, truthfully, with
 * COORDINATOR_NOT_AVAILABLE. It is served because librdkafka (kcat) enables LZ4 only when the broker
 * advertises FindCoordinator v0; consumers without a group never call it.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {

    /** FindCoordinator v4 batches keys (KIP-699). */
    private static final short FIRST_BATCHED_VERSION = 4;
    private static final String NOT_YET = "consumer groups and transactions are not available in this Tributary version";

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FindCoordinatorRequestData request) {
        short version = context.apiVersion();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version >= FIRST_BATCHED_VERSION) {
            List<FindCoordinatorResponseData.Coordinator> coordinators = request.coordinatorKeys().stream()
                    .map(key -> new FindCoordinatorResponseData.Coordinator()
                            .setKey(key)
                            .setNodeId(-1)
                            .setHost("")
                            .setPort(-1)
                            .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                            .setErrorMessage(NOT_YET))
                    .toList();
            response.setCoordinators(coordinators);
        } else {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setNodeId(-1).setHost("").setPort(-1);
            if (version >= 1) {
                response.setErrorMessage(NOT_YET);
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
