package io.tributary.broker.topic;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.coordinator.controller.ControllerElection;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.model.BrokerRegistration;
import io.tributary.zk.model.PartitionState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata, answered by any broker from its ZooKeeper-backed caches without a ZooKeeper round trip: live
 * brokers, the controller, and each partition's leader, replicas and ISR.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {

    private static final Logger log = LoggerFactory.getLogger(MetadataHandler.class);

    private final int brokerId;
    private final String clusterId;
    private final BrokerRegistry brokers;
    private final ControllerElection controller;
    private final TopicMetadataCache topics;
    private final TopicCreator creator;
    private final boolean autoCreateTopics;
    private final Executor zkPool;

    public MetadataHandler(int brokerId, String clusterId, BrokerRegistry brokers, ControllerElection controller,
                           TopicMetadataCache topics, TopicCreator creator, boolean autoCreateTopics, Executor zkPool) {
        this.brokerId = brokerId;
        this.clusterId = clusterId;
        this.brokers = brokers;
        this.controller = controller;
        this.topics = topics;
        this.creator = creator;
        this.autoCreateTopics = autoCreateTopics;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, MetadataRequestData request) {
        short version = context.apiVersion();
        Map<Integer, BrokerRegistration> live = brokers.liveBrokers();
        MetadataResponseData response = new MetadataResponseData();
        if (version >= 1) {
            response.setControllerId(controller.controllerId());
        }
        if (version >= 2) {
            response.setClusterId(clusterId);
        }
        for (BrokerRegistration broker : live.values()) {
            MetadataResponseBroker node = new MetadataResponseBroker()
                    .setNodeId(broker.brokerId())
                    .setHost(broker.host())
                    .setPort(broker.port());
            if (version >= 1) {
                node.setRack(broker.rack());
            }
            response.brokers().add(node);
        }
        // v0 asks for all topics with an empty list; v1+ with a null list.
        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            topics.topics().values().forEach(t -> response.topics().add(describe(t, live, version)));
        } else {
            boolean allowAutoCreate = autoCreateTopics && (version < 4 || request.allowAutoTopicCreation());
            for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
                response.topics().add(describeRequested(requested, live, version, allowAutoCreate));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private MetadataResponseTopic describeRequested(MetadataRequestData.MetadataRequestTopic requested,
                                                    Map<Integer, BrokerRegistration> live, short version,
                                                    boolean allowAutoCreate) {
        if (requested.name() == null) {
            Uuid id = requested.topicId();
            Optional<TopicMetadata> byId = topics.topicById(id.toString());
            return byId.map(t -> describe(t, live, version)).orElseGet(() -> new MetadataResponseTopic()
                    .setTopicId(id).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        String name = requested.name();
        Optional<TopicMetadata> topic = topics.topic(name);
        if (topic.isPresent()) {
            return describe(topic.get(), live, version);
        }
        MetadataResponseTopic missing = new MetadataResponseTopic().setName(name);
        try {
            TopicNameValidator.validate(name);
        } catch (ApiError e) {
            return missing.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        // __consumer_offsets is created by the group coordinator with its own configs, never by auto-creation.
        if (!allowAutoCreate || name.equals("__consumer_offsets")) {
            return missing.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        autoCreate(name);
        // The client retries on LEADER_NOT_AVAILABLE until the new topic has leaders.
        return missing.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
    }

    private void autoCreate(String name) {
        zkPool.execute(() -> {
            try {
                creator.create(new TopicCreator.Request(name, -1, -1, Map.of(), Map.of()), false);
            } catch (ApiError e) {
                if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                    log.warn("Broker {}: auto-creating topic {} failed: {}", brokerId, name, e.getMessage());
                }
            } catch (RuntimeException e) {
                log.warn("Broker {}: auto-creating topic {} failed", brokerId, name, e);
            }
        });
    }

    private MetadataResponseTopic describe(TopicMetadata topic, Map<Integer, BrokerRegistration> live, short version) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setErrorCode(Errors.NONE.code())
                .setIsInternal(topic.name().equals("__consumer_offsets")); // the group coordinator's topic
        if (version >= 10) {
            result.setTopicId(TopicLookup.idOf(topic));
        }
        for (PartitionMetadata partition : topic.partitions().values()) {
            result.partitions().add(describe(partition, live, version));
        }
        return result;
    }

    private static MetadataResponsePartition describe(PartitionMetadata partition, Map<Integer, BrokerRegistration> live,
                                                      short version) {
        PartitionState state = partition.state();
        int leader = state == null ? -1 : state.leader();
        boolean leaderAlive = leader >= 0 && live.containsKey(leader);
        MetadataResponsePartition result = new MetadataResponsePartition()
                .setPartitionIndex(partition.partition())
                .setErrorCode(leaderAlive ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                .setLeaderId(leaderAlive ? leader : -1)
                .setReplicaNodes(List.copyOf(partition.replicas()))
                .setIsrNodes(state == null ? List.of() : List.copyOf(state.isr()));
        if (version >= 7) {
            result.setLeaderEpoch(state == null ? -1 : state.leaderEpoch());
        }
        if (version >= 5) {
            result.setOfflineReplicas(offline(partition.replicas(), live.keySet()));
        }
        return result;
    }

    private static List<Integer> offline(List<Integer> replicas, Collection<Integer> live) {
        List<Integer> offline = new ArrayList<>();
        for (int replica : replicas) {
            if (!live.contains(replica)) {
                offline.add(replica);
            }
        }
        return offline;
    }
}
