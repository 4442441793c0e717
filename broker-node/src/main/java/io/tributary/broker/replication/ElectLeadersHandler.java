package io.tributary.broker.replication;

import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.topic.MetadataWaiter;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.metadata.PartitionMetadata;
import io.tributary.coordinator.metadata.TopicMetadata;
import io.tributary.coordinator.metadata.TopicMetadataCache;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.PreferredLeaderElection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElectLeaders (KIP-460), preferred elections only, as Kafka's {@code kafka-leader-election --election-type
 * preferred} sends: partitions whose preferred replica (first assigned) is live and in the ISR but does not lead
 * are listed in a request znode; each leader hands its listed partitions over (planned move), and the answer
 * comes once the metadata shows the preferred leaders, or at the request's timeout. Unclean elections are refused:
 * a replica outside the ISR never leads.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData> {

    private static final Logger log = LoggerFactory.getLogger(ElectLeadersHandler.class);
    private static final byte PREFERRED = 0;

    private final CuratorFramework zk;
    private final TopicMetadataCache metadata;
    private final BrokerRegistry brokers;
    private final MetadataWaiter waiter;
    private final Executor zkPool;

    public ElectLeadersHandler(CuratorFramework zk, TopicMetadataCache metadata, BrokerRegistry brokers, MetadataWaiter waiter,
                               Executor zkPool) {
        this.zk = zk;
        this.metadata = metadata;
        this.brokers = brokers;
        this.waiter = waiter;
        this.zkPool = zkPool;
    }

    private record Outcome(Errors error, String message) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ElectLeadersRequestData request) {
        byte type = context.apiVersion() >= 1 ? request.electionType() : PREFERRED;
        Map<TopicPartition, Outcome> outcomes = new LinkedHashMap<>();
        Map<TopicPartition, Integer> toElect = new LinkedHashMap<>();
        for (TopicPartition tp : requested(request)) {
            if (type != PREFERRED) {
                outcomes.put(tp, new Outcome(Errors.INVALID_REQUEST, "only preferred elections are supported: "
                        + "a replica outside the ISR never becomes leader"));
                continue;
            }
            Optional<PartitionMetadata> partition = metadata.topic(tp.topic()).flatMap(t -> t.partition(tp.partition()));
            if (partition.isEmpty()) {
                outcomes.put(tp, new Outcome(Errors.UNKNOWN_TOPIC_OR_PARTITION, "no partition " + tp));
                continue;
            }
            PartitionMetadata current = partition.get();
            int preferred = current.replicas().get(0);
            if (current.leader() == preferred) {
                outcomes.put(tp, new Outcome(Errors.ELECTION_NOT_NEEDED, "broker " + preferred + " already leads " + tp));
            } else if (current.state() == null || !current.state().inIsr(preferred) || !brokers.liveBrokers().containsKey(preferred)) {
                outcomes.put(tp, new Outcome(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "preferred replica " + preferred + " of "
                        + tp + " is not live and in the ISR"));
            } else {
                toElect.put(tp, preferred);
                outcomes.put(tp, new Outcome(Errors.REQUEST_TIMED_OUT, "leadership of " + tp + " did not move to broker "
                        + preferred + " within " + request.timeoutMs() + " ms"));
            }
        }
        if (toElect.isEmpty()) {
            return CompletableFuture.completedFuture(response(outcomes));
        }
        List<PreferredLeaderElection.Partition> listed = toElect.keySet().stream()
                .map(tp -> new PreferredLeaderElection.Partition(tp.topic(), tp.partition())).toList();
        return CompletableFuture.supplyAsync(() -> createRequest(new PreferredLeaderElection(listed)), zkPool)
                .thenCompose(path -> waiter.await(cache -> toElect.entrySet().stream().allMatch(e -> leads(cache, e.getKey(), e.getValue())),
                                request.timeoutMs())
                        .whenCompleteAsync((met, failure) -> deleteRequest(path), zkPool))
                .handle((met, failure) -> {
                    toElect.forEach((tp, preferred) -> {
                        if (leads(metadata, tp, preferred)) {
                            outcomes.put(tp, new Outcome(Errors.NONE, null));
                        }
                    });
                    return response(outcomes);
                });
    }

    private List<TopicPartition> requested(ElectLeadersRequestData request) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (request.topicPartitions() == null) {
            for (TopicMetadata topic : metadata.topics().values()) {
                topic.partitions().keySet().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
            }
        } else {
            for (ElectLeadersRequestData.TopicPartitions topic : request.topicPartitions()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.topic(), p)));
            }
        }
        return partitions;
    }

    private static boolean leads(TopicMetadataCache cache, TopicPartition tp, int broker) {
        return cache.topic(tp.topic()).flatMap(t -> t.partition(tp.partition())).map(p -> p.leader() == broker).orElse(false);
    }

    private String createRequest(PreferredLeaderElection election) {
        try {
            String path = zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(ZkPaths.preferredLeaderElections() + "/request-", ZkJson.toBytes(election));
            log.info("preferred-leader election requested for {} partition(s) at {}", election.partitions().size(), path);
            return path;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the preferred-leader election request", e);
        }
    }

    private void deleteRequest(String path) {
        try {
            zk.delete().forPath(path);
        } catch (Exception e) {
            log.warn("could not delete the preferred-leader election request {}: {}", path, e.toString());
        }
    }

    private static ElectLeadersResponseData response(Map<TopicPartition, Outcome> outcomes) {
        ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        Map<String, ElectLeadersResponseData.ReplicaElectionResult> byTopic = new LinkedHashMap<>();
        outcomes.forEach((tp, outcome) -> byTopic.computeIfAbsent(tp.topic(), topic -> {
            ElectLeadersResponseData.ReplicaElectionResult result = new ElectLeadersResponseData.ReplicaElectionResult().setTopic(topic);
            response.replicaElectionResults().add(result);
            return result;
        }).partitionResult().add(new ElectLeadersResponseData.PartitionResult().setPartitionId(tp.partition())
                .setErrorCode(outcome.error().code()).setErrorMessage(outcome.message())));
        return response;
    }
}
