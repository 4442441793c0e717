package io.tributary.zk;

/**
 * The znode layout of docs/architecture.md, relative to the chroot. The Curator client built by
 * {@link CuratorClientFactory} is namespaced to the chroot, so these paths are used as they are.
 */
public final class ZkPaths {

    /** The chroot a cluster uses unless configured otherwise. */
    public static final String DEFAULT_CHROOT = "/tributary";

    private ZkPaths() {
    }

    public static String clusterId() {
        return "/cluster/id";
    }

    public static String brokerIds() {
        return "/brokers/ids";
    }

    public static String broker(int id) {
        return brokerIds() + "/" + requireNonNegative(id, "broker id");
    }

    /** Parent of the controller's LeaderLatch participants. */
    public static String controller() {
        return "/controller";
    }

    public static String topics() {
        return "/brokers/topics";
    }

    public static String topic(String topic) {
        return topics() + "/" + requireName(topic);
    }

    /** Parent of a topic's per-partition znodes. */
    public static String partitions(String topic) {
        return topic(topic) + "/partitions";
    }

    public static String partition(String topic, int partition) {
        return partitions(topic) + "/" + requireNonNegative(partition, "partition");
    }

    public static String partitionState(String topic, int partition) {
        return partition(topic, partition) + "/state";
    }

    public static String elections() {
        return "/elections";
    }

    public static String electionsOfTopic(String topic) {
        return elections() + "/" + requireName(topic);
    }

    /** Parent of a partition's LeaderLatch participants. */
    public static String election(String topic, int partition) {
        return electionsOfTopic(topic) + "/" + requireNonNegative(partition, "partition");
    }

    public static String topicConfigs() {
        return "/config/topics";
    }

    public static String topicConfig(String topic) {
        return topicConfigs() + "/" + requireName(topic);
    }

    /** Parent of dynamic broker config overrides: one znode per broker id, and {@code <default>} for the cluster. */
    public static String brokerConfigs() {
        return "/config/brokers";
    }

    /** @param entity a broker id, or {@code <default>} for the cluster-wide defaults (as Kafka's znodes) */
    public static String brokerConfig(String entity) {
        return brokerConfigs() + "/" + requireName(entity);
    }

    public static String deleteTopics() {
        return "/admin/delete_topics";
    }

    public static String deleteTopic(String topic) {
        return deleteTopics() + "/" + requireName(topic);
    }

    /** Parent of pending preferred-leader election requests (ElectLeaders). */
    public static String preferredLeaderElections() {
        return "/admin/preferred_leader_elections";
    }

    public static String producerIdBlock() {
        return "/latest_producer_id_block";
    }

    private static String requireName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a znode name must be non-empty and without '/', got: " + name);
        }
        return name;
    }

    private static int requireNonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got: " + value);
        }
        return value;
    }
}
