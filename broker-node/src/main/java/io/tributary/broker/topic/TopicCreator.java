package io.tributary.broker.topic;

import io.tributary.broker.protocol.ApiError;
import io.tributary.coordinator.assignment.ReplicaAssigner;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.topics.TopicExistsException;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.model.BrokerRegistration;
import io.tributary.zk.model.TopicAssignment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a topic request and writes the topic to ZooKeeper with its replica assignment. Blocks on
 * ZooKeeper: call it from a worker, never from an event loop.
 */
public final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

    private final int brokerId;
    private final BrokerRegistry brokers;
    private final TopicStore store;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;

    public TopicCreator(int brokerId, BrokerRegistry brokers, TopicStore store, int defaultPartitions,
                        int defaultReplicationFactor) {
        this.brokerId = brokerId;
        this.brokers = brokers;
        this.store = store;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    /** What was asked for; -1 partitions or replication factor means the broker's default. */
    public record Request(String name, int partitions, int replicationFactor,
                          Map<Integer, List<Integer>> manualAssignment, Map<String, String> configs) {}

    /** The topic as created (or as it would be, when {@code validateOnly}). */
    public record Created(String name, String topicId, int partitions, int replicationFactor) {}

    public Created create(Request request, boolean validateOnly) {
        TopicNameValidator.validate(request.name());
        TopicConfigValidator.validate(request.configs());
        List<BrokerRegistration> live = new ArrayList<>(brokers.liveBrokers().values());
        Map<Integer, List<Integer>> assignment = request.manualAssignment().isEmpty()
                ? assignEvenly(request, live)
                : checkManual(request.manualAssignment(), live);
        int replicationFactor = assignment.get(0).size();
        if (validateOnly) {
            return new Created(request.name(), null, assignment.size(), replicationFactor);
        }
        try {
            TopicAssignment written = store.createTopic(request.name(), assignment, request.configs());
            log.info("Broker {}: created topic {} (id {}) with {} partition(s), replication factor {}, assignment {}",
                    brokerId, request.name(), written.topicId(), assignment.size(), replicationFactor, assignment);
            return new Created(request.name(), written.topicId(), assignment.size(), replicationFactor);
        } catch (TopicExistsException e) {
            throw new ApiError(Errors.TOPIC_ALREADY_EXISTS, e.getMessage());
        }
    }

    private Map<Integer, List<Integer>> assignEvenly(Request request, List<BrokerRegistration> live) {
        int partitions = request.partitions() == -1 ? defaultPartitions : request.partitions();
        int replicationFactor = request.replicationFactor() == -1 ? defaultReplicationFactor : request.replicationFactor();
        if (partitions < 1) {
            throw new ApiError(Errors.INVALID_PARTITIONS, "number of partitions must be at least 1, not " + partitions);
        }
        if (replicationFactor < 1) {
            throw new ApiError(Errors.INVALID_REPLICATION_FACTOR,
                    "replication factor must be at least 1, not " + replicationFactor);
        }
        if (replicationFactor > live.size()) {
            throw new ApiError(Errors.INVALID_REPLICATION_FACTOR, "replication factor " + replicationFactor
                    + " is larger than the number of available brokers: " + live.size());
        }
        // A random start spreads the leaders of many small topics over all brokers, as Kafka does.
        int start = live.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(live.size());
        return ReplicaAssigner.assign(partitions, replicationFactor, live, start);
    }

    private static Map<Integer, List<Integer>> checkManual(Map<Integer, List<Integer>> manual, List<BrokerRegistration> live) {
        Set<Integer> liveIds = new HashSet<>();
        live.forEach(b -> liveIds.add(b.brokerId()));
        int replicationFactor = -1;
        for (int p = 0; p < manual.size(); p++) {
            List<Integer> replicas = manual.get(p);
            if (replicas == null) {
                throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "partitions must be numbered 0.." + (manual.size() - 1)
                        + "; partition " + p + " is missing");
            }
            if (replicationFactor != -1 && replicas.size() != replicationFactor) {
                throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "every partition needs the same number of replicas");
            }
            replicationFactor = replicas.size();
            if (replicas.isEmpty() || new HashSet<>(replicas).size() != replicas.size()) {
                throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "partition " + p + " has an empty or repeated replica list " + replicas);
            }
            for (int broker : replicas) {
                if (!liveIds.contains(broker)) {
                    throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "partition " + p + " names broker " + broker
                            + ", which is not registered");
                }
            }
        }
        return manual;
    }
}
