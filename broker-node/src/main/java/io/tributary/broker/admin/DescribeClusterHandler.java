package io.tributary.broker.admin;

import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.zk.model.BrokerRegistration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster (KIP-700, v0-2): the registered brokers, the controller and the cluster id, from memory. Only the
 * BROKERS endpoint type exists here (there are no separate KRaft controllers); asking for CONTROLLERS gets
 * UNSUPPORTED_ENDPOINT_TYPE, as a Kafka broker answers. A registered broker is never fenced (a fenced one has lost
 * its registration).
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {

    private static final byte BROKERS = 1;

    private final String clusterId;
    private final BrokerRegistry brokers;
    private final ControllerElection controller;

    public DescribeClusterHandler(String clusterId, BrokerRegistry brokers, ControllerElection controller) {
        this.clusterId = clusterId;
        this.brokers = brokers;
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData().setErrorCode(Errors.NONE.code())
                .setClusterId(clusterId).setControllerId(controller.controllerId());
        if (context.apiVersion() >= 1) {
            response.setEndpointType(BROKERS);
            if (request.endpointType() != BROKERS) {
                return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                        .setErrorMessage("only the BROKERS endpoint type is served: Tributary has no separate controllers"));
            }
        }
        brokers.liveBrokers().values().stream().sorted(Comparator.comparingInt(BrokerRegistration::brokerId))
                .forEach(b -> response.brokers().add(new DescribeClusterBroker().setBrokerId(b.brokerId()).setHost(b.host())
                        .setPort(b.port()).setRack(b.rack()).setIsFenced(false)));
        return CompletableFuture.completedFuture(response);
    }
}
