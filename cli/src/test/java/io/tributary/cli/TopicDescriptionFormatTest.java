package io.tributary.cli;

import io.tributary.client.admin.ClusterDescription;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicDescriptionFormatTest {

    private static final Node B1 = new Node(1, "localhost", 9092, null);
    private static final Node B2 = new Node(2, "localhost", 9093, "rack-a");
    private static final Node B3 = new Node(3, "localhost", 9094, null);

    @Test
    void describesLikeKafkaTopicsSortedByPartition() {
        TopicDescription topic = new TopicDescription("orders", "q1w2e3", List.of(
                new PartitionInfo("orders", 1, B2, 0, List.of(B2, B3), List.of(B2), List.of()),
                new PartitionInfo("orders", 0, B1, 0, List.of(B1, B2), List.of(B1, B2), List.of())));
        assertEquals(List.of(
                "Topic: orders\tTopicId: q1w2e3\tPartitionCount: 2\tReplicationFactor: 2",
                "\tTopic: orders\tPartition: 0\tLeader: 1\tLeaderEpoch: 0\tReplicas: 1,2\tIsr: 1,2",
                "\tTopic: orders\tPartition: 1\tLeader: 2\tLeaderEpoch: 0\tReplicas: 2,3\tIsr: 2\tState: under-replicated"),
                TopicDescriptionFormat.lines(topic));
    }

    @Test
    void partitionWithoutLeaderSaysNoneAndIsMarkedOffline() {
        TopicDescription topic = new TopicDescription("t", "id", List.of(
                new PartitionInfo("t", 0, null, List.of(Node.unknown(2)), List.of())));
        assertEquals("\tTopic: t\tPartition: 0\tLeader: none\tLeaderEpoch: unknown\tReplicas: 2\tIsr: \tState: offline",
                TopicDescriptionFormat.lines(topic).get(1));
    }

    @Test
    void afterALeaderDiedTheLineShowsTheNewEpochTheOfflineReplicaAndUnderReplication() {
        // Broker 1 led at epoch 0 and was killed: broker 2 took over at epoch 1, 1 left the ISR.
        PartitionInfo p = new PartitionInfo("orders", 0, B2, 1, List.of(Node.unknown(1), B2, B3), List.of(B2, B3),
                List.of(Node.unknown(1)));
        assertEquals("\tTopic: orders\tPartition: 0\tLeader: 2\tLeaderEpoch: 1\tReplicas: 1,2,3\tIsr: 2,3"
                + "\tOffline: 1\tState: under-replicated", TopicDescriptionFormat.partitionLine(p));
    }

    @Test
    void aFollowerOutOfTheIsrMakesThePartitionUnderReplicatedWithoutOfflineReplicas() {
        PartitionInfo p = new PartitionInfo("orders", 2, B3, 5, List.of(B3, B1, B2), List.of(B3, B2), List.of());
        assertEquals("\tTopic: orders\tPartition: 2\tLeader: 3\tLeaderEpoch: 5\tReplicas: 3,1,2\tIsr: 3,2"
                + "\tState: under-replicated", TopicDescriptionFormat.partitionLine(p));
    }

    @Test
    void filtersPrintOnlyMatchingPartitionsWithoutTheSummaryLine() {
        TopicDescription topic = new TopicDescription("t", "id", List.of(
                new PartitionInfo("t", 0, B1, 2, List.of(B1, B2), List.of(B1, B2), List.of()),
                new PartitionInfo("t", 1, B1, 3, List.of(B1, Node.unknown(3)), List.of(B1), List.of(Node.unknown(3))),
                new PartitionInfo("t", 2, null, 4, List.of(Node.unknown(3)), List.of(Node.unknown(3)), List.of(Node.unknown(3)))));
        assertEquals(List.of("\tTopic: t\tPartition: 1\tLeader: 1\tLeaderEpoch: 3\tReplicas: 1,3\tIsr: 1\tOffline: 3"
                        + "\tState: under-replicated"),
                TopicDescriptionFormat.lines(topic, TopicDescriptionFormat.Filter.UNDER_REPLICATED));
        assertEquals(List.of("\tTopic: t\tPartition: 2\tLeader: none\tLeaderEpoch: 4\tReplicas: 3\tIsr: 3\tOffline: 3"
                        + "\tState: offline"),
                TopicDescriptionFormat.lines(topic, TopicDescriptionFormat.Filter.UNAVAILABLE));
        assertEquals(4, TopicDescriptionFormat.lines(topic).size());
    }

    @Test
    void clusterListsOneBrokerLinePerBrokerInIdOrder() {
        ClusterDescription cluster = new ClusterDescription("c-1", B2, List.of(B3, B1, B2));
        assertEquals(List.of(
                "Cluster ID: c-1",
                "Controller: 2",
                "Broker: 1\tHost: localhost\tPort: 9092\tRack: none",
                "Broker: 2\tHost: localhost\tPort: 9093\tRack: rack-a",
                "Broker: 3\tHost: localhost\tPort: 9094\tRack: none"),
                ClusterFormat.lines(cluster));
    }

    @Test
    void clusterWithoutControllerSaysNone() {
        assertEquals("Controller: none", ClusterFormat.lines(new ClusterDescription("c", null, List.of(B1))).get(1));
    }
}
