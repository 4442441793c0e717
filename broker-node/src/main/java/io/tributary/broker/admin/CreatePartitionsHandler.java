package io.tributary.broker.admin;

import io.tributary.broker.group.OffsetsTopic;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.topic.MetadataWaiter;
import io.tributary.coordinator.assignment.ReplicaAssigner;
import io.tributary.coordinator.membership.BrokerRegistry;
import io.tributary.coordinator.topics.PartitionAdder;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.zk.model.BrokerRegistration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreatePartitions (v0-3): grows a topic to {@code count} partitions. The new partitions' replicas come from the
 * request's explicit assignment or from the replica assigner over the live brokers (continuing from the topic's
 * first leader, so leaders stay spread); they are written to ZooKeeper in one transaction with their initial
 * states ({@link PartitionAdder}), and the answer comes once each new partition has a leader (or
 * {@code REQUEST_TIMED_OUT}, the partitions then exist). Served by any broker; the partition count never shrinks.
 * {@code __consumer_offsets} is refused (INVALID_REQUEST): groups are mapped to its partitions by their count.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {

    private static final Logger log = LoggerFactory.getLogger(CreatePartitionsHandler.class);

    private final int brokerId;
    private final PartitionAdder adder;
    private final TopicStore topics;
    private final BrokerRegistry brokers;
    private final MetadataWaiter waiter;
    private final Executor zkPool;

    public CreatePartitionsHandler(int brokerId, PartitionAdder adder, TopicStore topics, BrokerRegistry brokers,
                                   MetadataWaiter waiter, Executor zkPool) {
        this.brokerId = brokerId;
        this.adder = adder;
        this.topics = topics;
        this.brokers = brokers;
        this.waiter = waiter;
        this.zkPool = zkPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, CreatePartitionsRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, CreatePartitionsTopicResult> results = new LinkedHashMap<>();
            Map<String, Integer> added = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            Set<String> duplicated = new HashSet<>();
            request.topics().forEach(t -> {
                if (!seen.add(t.name())) {
                    duplicated.add(t.name());
                }
            });
            for (CreatePartitionsTopic topic : request.topics()) {
                CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name())
                        .setErrorCode(Errors.NONE.code());
                results.put(topic.name(), result);
                try {
                    if (duplicated.contains(topic.name())) {
                        throw new ApiError(Errors.INVALID_REQUEST, "topic " + topic.name() + " appears more than once");
                    }
                    if (grow(topic, request.validateOnly())) {
                        added.put(topic.name(), topic.count());
                    }
                } catch (RuntimeException e) {
                    ApiError error = ApiError.from(e);
                    result.setErrorCode(error.error().code()).setErrorMessage(error.getMessage());
                }
            }
            return new Pending(results, added);
        }, zkPool).thenCompose(pending -> pending.added().isEmpty()
                ? CompletableFuture.completedFuture(response(pending))
                : waiter.await(cache -> pending.added().entrySet().stream().allMatch(e -> allLed(cache, e.getKey(), e.getValue())),
                        request.timeoutMs()).thenApply(met -> {
                    if (!met) {
                        pending.added().keySet().forEach(name -> pending.results().get(name)
                                .setErrorCode(Errors.REQUEST_TIMED_OUT.code())
                                .setErrorMessage("the new partitions of " + name + " exist but not all had a leader within "
                                        + request.timeoutMs() + " ms"));
                    }
                    return response(pending);
                }));
    }

    private record Pending(Map<String, CreatePartitionsTopicResult> results, Map<String, Integer> added) {}

    private static CreatePartitionsResponseData response(Pending pending) {
        return new CreatePartitionsResponseData().setResults(new ArrayList<>(pending.results().values()));
    }

    private static boolean allLed(io.tributary.coordinator.metadata.TopicMetadataCache cache, String topic, int count) {
        return cache.topic(topic).map(t -> t.partitions().size() >= count && t.partitions().values().stream()
                .allMatch(p -> p.state() != null && p.state().leader() >= 0)).orElse(false);
    }

    /** @return whether partitions were written (false for validateOnly) */
    private boolean grow(CreatePartitionsTopic topic, boolean validateOnly) {
        if (OffsetsTopic.isOffsetsTopic(topic.name())) {
            // A group's coordinator partition is its hash modulo the partition count: growing it would strand every group.
            throw new ApiError(Errors.INVALID_REQUEST, "cannot add partitions to the internal topic " + topic.name()
                    + ": every group would map to another partition and lose its offsets");
        }
        if (topics.isMarkedForDeletion(topic.name())) {
            throw new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "topic " + topic.name() + " is being deleted");
        }
        PartitionAdder.Current current = adder.read(topic.name());
        int existing = current.assignment().partitions().size();
        if (topic.count() < existing) {
            throw new ApiError(Errors.INVALID_PARTITIONS, "topic " + topic.name() + " has " + existing
                    + " partitions, more than the requested " + topic.count() + ": partitions cannot be removed");
        }
        if (topic.count() == existing) {
            throw new ApiError(Errors.INVALID_PARTITIONS, "topic " + topic.name() + " already has " + existing + " partitions");
        }
        int replicationFactor = current.assignment().replicas(0).size();
        Map<Integer, List<Integer>> newPartitions = topic.assignments() == null
                ? assign(current, topic.count(), replicationFactor)
                : explicit(topic, existing, replicationFactor);
        if (validateOnly) {
            return false;
        }
        adder.add(topic.name(), current, newPartitions);
        log.info("Broker {}: topic {} grows from {} to {} partitions; new replicas {}", brokerId, topic.name(), existing,
                topic.count(), newPartitions);
        return true;
    }

    private Map<Integer, List<Integer>> assign(PartitionAdder.Current current, int count, int replicationFactor) {
        List<BrokerRegistration> live = new ArrayList<>(brokers.liveBrokers().values());
        live.sort(Comparator.comparingInt(BrokerRegistration::brokerId));
        int firstLeader = current.assignment().replicas(0).get(0);
        int start = 0;
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).brokerId() == firstLeader) {
                start = i;
            }
        }
        Map<Integer, List<Integer>> all = ReplicaAssigner.assign(count, replicationFactor, live, start);
        Map<Integer, List<Integer>> fresh = new TreeMap<>();
        all.forEach((p, replicas) -> {
            if (p >= current.assignment().partitions().size()) {
                fresh.put(p, replicas);
            }
        });
        return fresh;
    }

    private Map<Integer, List<Integer>> explicit(CreatePartitionsTopic topic, int existing, int replicationFactor) {
        int wanted = topic.count() - existing;
        if (topic.assignments().size() != wanted) {
            throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "topic " + topic.name() + ": " + wanted
                    + " new partitions need " + wanted + " assignments, got " + topic.assignments().size());
        }
        Set<Integer> live = brokers.liveBrokers().keySet();
        Map<Integer, List<Integer>> fresh = new TreeMap<>();
        for (int i = 0; i < wanted; i++) {
            List<Integer> replicas = topic.assignments().get(i).brokerIds();
            int partition = existing + i;
            if (replicas.size() != replicationFactor || new HashSet<>(replicas).size() != replicas.size()) {
                throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "partition " + partition + " of " + topic.name()
                        + " needs " + replicationFactor + " distinct replicas, got " + replicas);
            }
            for (int broker : replicas) {
                if (!live.contains(broker)) {
                    throw new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, "partition " + partition + " of " + topic.name()
                            + " names broker " + broker + ", which is not registered");
                }
            }
            fresh.put(partition, List.copyOf(replicas));
        }
        return fresh;
    }
}
