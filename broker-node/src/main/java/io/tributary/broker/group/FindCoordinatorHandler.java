package io.tributary.broker.group;

import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.zk.model.BrokerRegistration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * FindCoordinator: a group's coordinator is the leader of its {@code __consumer_offsets} partition. The first
 * request for any group creates the topic; until its partition has a live leader the answer is
 * COORDINATOR_NOT_AVAILABLE, which clients retry. Transaction coordinators do not exist yet.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {

    /** FindCoordinator v4 batches keys (KIP-699). */
    private static final short FIRST_BATCHED_VERSION = 4;

    private final OffsetsTopic offsetsTopic;
    private final BrokerRegistry brokers;

    public FindCoordinatorHandler(OffsetsTopic offsetsTopic, BrokerRegistry brokers) {
        this.offsetsTopic = offsetsTopic;
        this.brokers = brokers;
    }

    /** Where one key's coordinator is, or why there is none now. */
    private record Answer(Errors error, String message, BrokerRegistration node) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FindCoordinatorRequestData request) {
        short version = context.apiVersion();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version >= FIRST_BATCHED_VERSION) {
            List<FindCoordinatorResponseData.Coordinator> coordinators = request.coordinatorKeys().stream()
                    .map(key -> {
                        Answer answer = find(request.keyType(), key);
                        FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator()
                                .setKey(key).setErrorCode(answer.error().code()).setErrorMessage(answer.message());
                        return answer.node() == null ? c.setNodeId(-1).setHost("").setPort(-1)
                                : c.setNodeId(answer.node().brokerId()).setHost(answer.node().host()).setPort(answer.node().port());
                    })
                    .toList();
            response.setCoordinators(coordinators);
        } else {
            Answer answer = find(request.keyType(), request.key());
            response.setErrorCode(answer.error().code());
            if (version >= 1) {
                response.setErrorMessage(answer.message());
            }
            if (answer.node() == null) {
                response.setNodeId(-1).setHost("").setPort(-1);
            } else {
                response.setNodeId(answer.node().brokerId()).setHost(answer.node().host()).setPort(answer.node().port());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private Answer find(byte keyType, String key) {
        if (keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return new Answer(Errors.COORDINATOR_NOT_AVAILABLE, "only group coordinators exist in this Tributary version", null);
        }
        if (key == null || key.isEmpty()) {
            return new Answer(Errors.INVALID_REQUEST, "the group id must not be empty", null);
        }
        if (offsetsTopic.topic().isEmpty()) {
            offsetsTopic.ensureCreated();
            String shortfall = offsetsTopic.shortfall();
            return new Answer(Errors.COORDINATOR_NOT_AVAILABLE, shortfall != null ? shortfall : OffsetsTopic.NAME + " is being created", null);
        }
        int partition = offsetsTopic.partitionFor(key);
        Optional<PartitionMetadata> metadata = offsetsTopic.partition(partition);
        int leader = metadata.map(PartitionMetadata::leader).orElse(-1);
        BrokerRegistration node = leader < 0 ? null : brokers.liveBrokers().get(leader);
        if (node == null) {
            return new Answer(Errors.COORDINATOR_NOT_AVAILABLE, OffsetsTopic.NAME + "-" + partition + " has no live leader", null);
        }
        return new Answer(Errors.NONE, null, node);
    }
}
