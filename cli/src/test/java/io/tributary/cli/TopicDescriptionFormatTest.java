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
                new PartitionInfo("orders", 1, B2, List.of(B2, B3), List.of(B2)),
                new PartitionInfo("orders", 0, B1, List.of(B1, B2), List.of(B1, B2))));
        assertEquals(List.of(
                "Topic: orders\tTopicId: q1w2e3\tPartitionCount: 2\tReplicationFactor: 2",
                "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2",
                "\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2"),
                TopicDescriptionFormat.lines(topic));
    }

    @Test
    void partitionWithoutLeaderSaysNone() {
        TopicDescription topic = new TopicDescription("t", "id", List.of(
                new PartitionInfo("t", 0, null, List.of(Node.unknown(2)), List.of())));
        assertEquals("\tTopic: t\tPartition: 0\tLeader: none\tReplicas: 2\tIsr: ", TopicDescriptionFormat.lines(topic).get(1));
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
