package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.Node;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClientResponse;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.OutboundRequest;
import io.tributary.client.network.TopicMetadata;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Topic and cluster administration over the Kafka protocol. Every call blocks for at most
 * request.timeout.ms, retrying retriable failures (disconnects, NOT_CONTROLLER) after retry.backoff.ms.
 * Create and delete go to the controller named by Metadata; the rest go to any broker. Thread-safe.
 *
 * <p>A retried create may report TOPIC_ALREADY_EXISTS if the first attempt succeeded but its response
 * was lost; Kafka's admin client has the same ambiguity.
 */
public final class Admin implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Admin.class);

    private final AdminConfig config;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final GroupAdmin groups;

    public Admin(Properties properties) {
        this(AdminConfig.from(properties));
    }

    public Admin(AdminConfig config) {
        this.config = config;
        this.pool = new ConnectionPool(config.clientId(), config.connectionSetupTimeoutMs(), config.requestTimeoutMs());
        this.metadata = new MetadataCache(pool, config.bootstrapServers(), Long.MAX_VALUE, config.retryBackoffMs(), false);
        this.groups = new GroupAdmin(config, pool, metadata);
    }

    /**
     * Creates a topic and returns once the controller has accepted it (its partitions may still be
     * electing leaders).
     *
     * @throws ApiException with the broker's error, e.g. TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR,
     *                      INVALID_PARTITIONS, INVALID_TOPIC_EXCEPTION
     */
    public void createTopic(NewTopic topic) {
        String what = "create topic '" + topic.name() + "' (partitions=" + topic.partitions()
                + ", replicationFactor=" + topic.replicationFactor() + ")";
        callController(what, ApiKeys.CREATE_TOPICS,
                v -> CreateTopicsRequests.build(topic, config.requestTimeoutMs()),
                response -> {
                    CreateTopicsResponseData.CreatableTopicResult result =
                            response.body(CreateTopicsResponseData.class).topics().find(topic.name());
                    if (result == null) {
                        throw new TributaryException("The CreateTopics response does not mention topic '" + topic.name() + "'");
                    }
                    throwIfError(Errors.forCode(result.errorCode()), result.errorMessage(), "Cannot " + what);
                    return null;
                });
        log.info("Created topic {} with {} partitions, replication factor {}", topic.name(), topic.partitions(), topic.replicationFactor());
    }

    /** Names of all non-internal topics. */
    public Set<String> listTopics() {
        return listTopics(false);
    }

    /** Names of all topics, with the internal ones (__consumer_offsets) when {@code includeInternal}. */
    public Set<String> listTopics(boolean includeInternal) {
        ClusterSnapshot cluster = fetchMetadata(null, "list topics");
        Set<String> names = new TreeSet<>();
        cluster.topics().values().stream()
                .filter(t -> (includeInternal || !t.internal()) && t.error() == Errors.NONE)
                .forEach(t -> names.add(t.name()));
        return names;
    }

    /**
     * @throws ApiException UNKNOWN_TOPIC_OR_PARTITION (or the broker's other error) for the first topic that
     *                      cannot be described
     */
    public Map<String, TopicDescription> describeTopics(Collection<String> topics) {
        List<String> names = List.copyOf(new LinkedHashSet<>(topics));
        if (names.isEmpty()) {
            return Map.of();
        }
        ClusterSnapshot cluster = fetchMetadata(names, "describe topics " + names);
        Map<String, TopicDescription> result = new LinkedHashMap<>();
        for (String name : names) {
            TopicMetadata t = cluster.topics().get(name);
            if (t == null) {
                throw new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' is not in the metadata response");
            }
            // LEADER_NOT_AVAILABLE still lists the partitions (e.g. right after creation): describe them.
            if (t.error() != Errors.NONE && t.error() != Errors.LEADER_NOT_AVAILABLE) {
                throw new ApiException(t.error(), "Cannot describe topic '" + name + "'");
            }
            result.put(name, new TopicDescription(name, t.topicId(), cluster.partitionInfos(name), t.internal()));
        }
        return result;
    }

    /**
     * Deletes topics through the controller.
     *
     * @throws ApiException for the first topic that could not be deleted; the message lists every failure
     */
    public void deleteTopics(Collection<String> topics) {
        List<String> names = List.copyOf(new LinkedHashSet<>(topics));
        if (names.isEmpty()) {
            return;
        }
        callController("delete topics " + names, ApiKeys.DELETE_TOPICS,
                v -> DeleteTopicsRequests.build(v, names, config.requestTimeoutMs()),
                response -> {
                    List<String> failures = new ArrayList<>();
                    Errors first = Errors.NONE;
                    for (DeleteTopicsResponseData.DeletableTopicResult r : response.body(DeleteTopicsResponseData.class).responses()) {
                        Errors error = Errors.forCode(r.errorCode());
                        if (error == Errors.NOT_CONTROLLER) {
                            throw new ApiException(error, "controller moved while deleting " + names);
                        }
                        if (error != Errors.NONE) {
                            failures.add("'" + r.name() + "': " + error.name()
                                    + (r.errorMessage() != null ? " (" + r.errorMessage() + ")" : ""));
                            if (first == Errors.NONE) {
                                first = error;
                            }
                        }
                    }
                    if (!failures.isEmpty()) {
                        throw new ApiException(first, "Cannot delete topics " + failures);
                    }
                    return null;
                });
        log.info("Deleted topics {}", names);
    }

    public ClusterDescription describeCluster() {
        return descriptionOf(fetchMetadata(List.of(), "describe cluster"));
    }

    /**
     * The cluster and every topic, internal ones included, from a single Metadata request: a consistent view, where
     * describeCluster, listTopics and describeTopics may each be answered by a different broker. A topic the broker
     * reports with an error other than LEADER_NOT_AVAILABLE (e.g. being deleted) is left out.
     */
    public ClusterMetadata describeClusterAndTopics() {
        ClusterSnapshot cluster = fetchMetadata(null, "describe the cluster and its topics");
        Map<String, TopicDescription> topics = new TreeMap<>();
        cluster.topics().values().stream()
                .filter(t -> t.error() == Errors.NONE || t.error() == Errors.LEADER_NOT_AVAILABLE)
                .forEach(t -> topics.put(t.name(), new TopicDescription(t.name(), t.topicId(),
                        cluster.partitionInfos(t.name()), t.internal())));
        return new ClusterMetadata(descriptionOf(cluster), topics);
    }

    private static ClusterDescription descriptionOf(ClusterSnapshot cluster) {
        List<Node> brokers = cluster.brokers().values().stream().sorted(Comparator.comparingInt(Node::id)).toList();
        return new ClusterDescription(cluster.clusterId(), cluster.controller(), brokers);
    }

    // --- Consumer groups: each call goes to the group's coordinator (see GroupAdmin for the retries) ---

    /** Every group of the cluster (ListGroups to every broker, merged), sorted by group id. */
    public List<GroupListing> listGroups() {
        return groups.listGroups();
    }

    /**
     * Describes groups with their members and, for consumer groups, each member's assignment. A group the
     * coordinator does not know comes back in state Dead with no members.
     *
     * @throws ApiException naming the group and the error, e.g. GROUP_AUTHORIZATION_FAILED
     */
    public Map<String, GroupDescription> describeGroups(Collection<String> groupIds) {
        return groups.describeGroups(groupIds);
    }

    /** The group's committed offsets (OffsetFetch for all topics); partitions without a commit are absent. */
    public Map<TopicPartition, Long> listGroupOffsets(String groupId) {
        return groups.listGroupOffsets(groupId);
    }

    /**
     * Commits offsets for the group as a simple consumer (generation -1, no member id), as Kafka's admin
     * client does, which the coordinator accepts only while the group has no members.
     *
     * @throws ApiException UNKNOWN_MEMBER_ID (or ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS) with a message
     *                      saying the group is not empty; or the first partition error
     */
    public void alterGroupOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        groups.alterGroupOffsets(groupId, offsets);
    }

    /** @throws ApiException GROUP_NOT_EMPTY, GROUP_ID_NOT_FOUND ...; tries every group, then names each failure */
    public void deleteGroups(Collection<String> groupIds) {
        groups.deleteGroups(groupIds);
    }

    /** Deletes the group's committed offsets of these partitions (OffsetDelete). */
    public void deleteGroupOffsets(String groupId, Collection<TopicPartition> partitions) {
        groups.deleteGroupOffsets(groupId, partitions);
    }

    // ---- configs, partitions and records (requests built in ConfigRequests and PartitionRequests) ----

    /**
     * Every config of a topic, a broker ({@link ConfigResource#broker}) or the cluster's broker defaults, with where
     * each value comes from. A broker's own configs are asked of that broker, as Kafka's Admin does.
     *
     * @throws ApiException UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist
     */
    public List<ConfigEntry> describeConfigs(ConfigResource resource) {
        return calls().call("describe the configs of " + ConfigRequests.describe(resource), List.of(), targetOf(resource),
                ApiKeys.DESCRIBE_CONFIGS, v -> ConfigRequests.describe(resource, v),
                response -> ConfigRequests.parseDescribe(resource, response.body(DescribeConfigsResponseData.class)));
    }

    /**
     * Sets, deletes, appends to or subtracts from configs; the broker stores all of them or none.
     *
     * @throws ApiException INVALID_CONFIG (unknown key, bad value), INVALID_REQUEST (a broker setting that cannot
     *                      change without a restart), UNKNOWN_TOPIC_OR_PARTITION
     */
    public void incrementalAlterConfigs(ConfigResource resource, List<AlterConfigOp> ops, boolean validateOnly) {
        calls().call("alter the configs of " + ConfigRequests.describe(resource), List.of(), targetOf(resource),
                ApiKeys.INCREMENTAL_ALTER_CONFIGS, v -> ConfigRequests.alter(resource, ops, validateOnly),
                response -> {
                    ConfigRequests.checkAlter(resource, response.body(IncrementalAlterConfigsResponseData.class));
                    return null;
                });
        log.info("Altered the configs of {}: {}{}", ConfigRequests.describe(resource), ops, validateOnly ? " (validated only)" : "");
    }

    /**
     * Grows a topic to {@code totalCount} partitions and returns once they have leaders.
     *
     * @throws ApiException INVALID_PARTITIONS when the count is not larger than the current one
     */
    public void createPartitions(String topic, int totalCount) {
        calls().call("add partitions to topic '" + topic + "'", List.of(), AdminCalls.Target.anyBroker(),
                ApiKeys.CREATE_PARTITIONS, v -> PartitionRequests.createPartitions(topic, totalCount, config.requestTimeoutMs()),
                response -> {
                    PartitionRequests.checkCreatePartitions(topic, response.body(CreatePartitionsResponseData.class));
                    return null;
                });
        log.info("Topic {} now has {} partitions", topic, totalCount);
    }

    /**
     * Deletes every record before the given offset of each partition (-1 = up to the high watermark), asking each
     * partition's leader.
     *
     * @return each partition's new log start offset
     * @throws ApiException OFFSET_OUT_OF_RANGE for an offset beyond the high watermark
     */
    public Map<io.tributary.client.common.TopicPartition, Long> deleteRecords(
            Map<io.tributary.client.common.TopicPartition, Long> beforeOffsets) {
        Map<io.tributary.client.common.TopicPartition, Long> result = new LinkedHashMap<>();
        Set<String> topics = new TreeSet<>();
        beforeOffsets.keySet().forEach(tp -> topics.add(tp.topic()));
        for (Map.Entry<io.tributary.client.common.TopicPartition, Long> entry : beforeOffsets.entrySet()) {
            io.tributary.client.common.TopicPartition tp = entry.getKey();
            result.putAll(calls().call("delete records of " + tp, topics, cluster -> cluster.leaderFor(tp).orElse(null),
                    ApiKeys.DELETE_RECORDS, v -> PartitionRequests.deleteRecords(Map.of(tp, entry.getValue()), config.requestTimeoutMs()),
                    response -> PartitionRequests.parseDeleteRecords(response.body(DeleteRecordsResponseData.class))));
        }
        return result;
    }

    /**
     * The earliest (log start) or latest (high watermark) offset of each partition, asked of each partition's
     * leader with ListOffsets, as kafka-get-offsets does. Never throws for a partition: each one that fails has its
     * error in the result (UNKNOWN_TOPIC_OR_PARTITION, another broker error, or a TimeoutException when no leader
     * answered for it within request.timeout.ms); use {@link ListOffsetsResult#all()} for all or nothing.
     */
    public ListOffsetsResult listOffsets(Map<io.tributary.client.common.TopicPartition, OffsetSpec> specs) {
        return specs.isEmpty() ? new ListOffsetsResult(Map.of(), Map.of()) : new OffsetLister(config, pool, metadata).list(specs);
    }

    /**
     * The log dirs of one broker with the size on disk of every partition replica in them (DescribeLogDirs), as
     * kafka-log-dirs --describe shows them.
     *
     * @throws TimeoutException when the broker is not live or does not answer within request.timeout.ms
     */
    public List<LogDirDescription> describeLogDirs(int brokerId) {
        return calls().call("describe the log dirs of broker " + brokerId, List.of(), AdminCalls.Target.broker(brokerId),
                ApiKeys.DESCRIBE_LOG_DIRS, v -> OffsetAndLogDirRequests.describeLogDirs(),
                response -> {
                    DescribeLogDirsResponseData body = response.body(DescribeLogDirsResponseData.class);
                    throwIfError(Errors.forCode(body.errorCode()), null, "Cannot describe the log dirs of broker " + brokerId);
                    return OffsetAndLogDirRequests.parseDescribeLogDirs(body);
                });
    }

    private AdminCalls calls() {
        return new AdminCalls(config, pool, metadata);
    }

    private static AdminCalls.Target targetOf(ConfigResource resource) {
        return resource.type() == ConfigResource.Type.BROKER && !resource.isBrokerDefault()
                ? AdminCalls.Target.broker(Integer.parseInt(resource.name())) : AdminCalls.Target.anyBroker();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void throwIfError(Errors error, String brokerMessage, String what) {
        if (error != Errors.NONE) {
            throw new ApiException(error, what + ": " + (brokerMessage != null ? brokerMessage : error.message()));
        }
    }

    private ClusterSnapshot fetchMetadata(List<String> topics, String what) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadline) {
            try {
                return FutureWaits.await(metadata.fetch(topics), deadline, what);
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
                FutureWaits.backoff(config.retryBackoffMs(), deadline);
            }
        }
        throw timeout(what, last);
    }

    /**
     * Sends a request to the controller and interprets the response, retrying NOT_CONTROLLER and
     * retriable failures with a fresh view of the controller until request.timeout.ms has passed.
     */
    private <T> T callController(String what, ApiKeys api, Function<Short, ApiMessage> body,
                                 Function<ClientResponse, T> interpret) {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        TributaryException last = null;
        while (MonotonicClock.nowMs() < deadline) {
            try {
                Node controller = FutureWaits.await(metadata.fetch(List.of()), deadline, "find the controller to " + what).controller();
                if (controller == null) {
                    throw new ApiException(Errors.NOT_CONTROLLER, "the cluster has no controller at the moment");
                }
                long remaining = Math.max(1, deadline - MonotonicClock.nowMs());
                ClientResponse response = FutureWaits.await(
                        pool.forNode(controller).send(OutboundRequest.of(api, body, remaining)), deadline, what);
                return interpret.apply(response);
            } catch (ApiException e) {
                if (e.error() != Errors.NOT_CONTROLLER && !e.retriable()) {
                    throw e;
                }
                last = e;
            } catch (TributaryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
            }
            log.debug("Retrying {} after {}", what, last.getMessage());
            FutureWaits.backoff(config.retryBackoffMs(), deadline);
        }
        throw timeout(what, last);
    }

    private TimeoutException timeout(String what, TributaryException last) {
        return new TimeoutException("Could not " + what + " within request.timeout.ms=" + config.requestTimeoutMs()
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }
}
