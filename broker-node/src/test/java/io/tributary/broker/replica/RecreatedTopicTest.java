package io.tributary.broker.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic deleted while one of its brokers was down, then created again under the same name: the
 * returning broker must not serve the old topic's records as the new topic's.
 */
class RecreatedTopicTest {

    @TempDir
    Path dataDir;

    @Test
    void staleLogOfADeletedTopicIsNotServedAsTheNewTopic() throws Exception {
        try (LocalCluster cluster = new LocalCluster(2, dataDir)) {
            String topic = "reborn";
            try (WireClient controller = new WireClient("127.0.0.1", cluster.port(1))) {
                assertEquals(Errors.NONE.code(), createOnBroker2(controller, topic));
            }
            cluster.awaitLeader(topic, 0);
            try (WireClient leader = new WireClient("127.0.0.1", cluster.port(2))) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(Errors.NONE.code(), produce(leader, topic, "old-" + i));
                }
                assertEquals(5, latestOffset(leader, topic));
            }
            cluster.stop(2);
            try (WireClient controller = new WireClient("127.0.0.1", cluster.port(1))) {
                DeleteTopicsResponse deleted = (DeleteTopicsResponse) controller.send(new DeleteTopicsRequestData()
                        .setTopicNames(List.of(topic)).setTimeoutMs(30_000), (short) 4);
                assertEquals(Errors.NONE.code(), deleted.data().responses().iterator().next().errorCode());
            }
            assertTrue(Files.exists(dataDir.resolve("broker-2").resolve(topic + "-0")),
                    "the old log is still on broker 2's disk: it was down when the topic was deleted");
            cluster.start(2);
            try (WireClient controller = new WireClient("127.0.0.1", cluster.port(1))) {
                assertEquals(Errors.NONE.code(), createOnBroker2(controller, topic));
            }
            cluster.awaitLeader(topic, 0);
            try (WireClient leader = new WireClient("127.0.0.1", cluster.port(2))) {
                assertEquals(0, latestOffset(leader, topic), "the new topic starts empty");
                assertEquals(Errors.NONE.code(), produce(leader, topic, "new-0"));
                assertEquals(1, latestOffset(leader, topic));
            }
        }
    }

    /** The error code, with the broker's message in a failure. */
    private static short createOnBroker2(WireClient client, String topic) throws Exception {
        CreateTopicsRequestData.CreatableReplicaAssignmentCollection assignment =
                new CreateTopicsRequestData.CreatableReplicaAssignmentCollection();
        assignment.add(new CreateTopicsRequestData.CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(2)));
        CreateTopicsResponse response = (CreateTopicsResponse) client.send(Requests.createTopics(
                new CreateTopicsRequestData.CreatableTopic().setName(topic).setNumPartitions(-1)
                        .setReplicationFactor((short) -1).setAssignments(assignment)), (short) 7);
        var result = response.data().topics().find(topic);
        assertEquals(Errors.NONE.code(), result.errorCode(), result.errorMessage());
        return result.errorCode();
    }

    private static short produce(WireClient client, String topic, String value) throws Exception {
        ProduceResponse response = (ProduceResponse) client.send(Requests.produce(topic, 0, (short) 1, value), (short) 9);
        return response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static long latestOffset(WireClient client, String topic) throws Exception {
        ListOffsetsResponse response = (ListOffsetsResponse) client.send(Requests.listOffset(topic, 0, -1), (short) 6);
        var partition = response.data().topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode());
        return partition.offset();
    }
}
