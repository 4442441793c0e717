package io.tributary.broker.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.testing.LocalCluster;
import io.tributary.broker.testing.Requests;
import io.tributary.broker.testing.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce and fetch are served by the partition's leader only; everyone else says NOT_LEADER_OR_FOLLOWER. */
class NotLeaderTest {

    @TempDir
    Path dataDir;

    @Test
    void produceAndFetchToANonLeaderAreRefusedAndTheLeaderAccepts() throws Exception {
        try (LocalCluster cluster = new LocalCluster(2, dataDir)) {
            String topic = "orders";
            int controllerPort = -1;
            for (int id = 1; id <= 2 && controllerPort < 0; id++) {
                try (WireClient client = new WireClient("127.0.0.1", cluster.port(id))) {
                    CreateTopicsResponse response = (CreateTopicsResponse) client.send(
                            Requests.createTopic(topic, 1, 1), (short) 7);
                    short error = response.data().topics().find(topic).errorCode();
                    if (error == Errors.NONE.code()) {
                        controllerPort = cluster.port(id);
                    } else {
                        assertEquals(Errors.NOT_CONTROLLER.code(), error);
                    }
                }
            }
            assertNotEquals(-1, controllerPort, "one of the two brokers is the controller");
            int leader = cluster.awaitLeader(topic, 0);
            int follower = leader == 1 ? 2 : 1;

            try (WireClient toFollower = new WireClient("127.0.0.1", cluster.port(follower));
                 WireClient toLeader = new WireClient("127.0.0.1", cluster.port(leader))) {
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), produce(toFollower, topic, "refused"));
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), fetchError(toFollower, topic));
                assertEquals(Errors.NONE.code(), produce(toLeader, topic, "accepted"));
                assertEquals(Errors.NONE.code(), fetchError(toLeader, topic));
            }
            // acks=0 has no response to carry the error: the follower closes the connection instead, so
            // the client notices and refreshes its metadata (as Kafka does).
            try (WireClient fireAndForget = new WireClient("127.0.0.1", cluster.port(follower))) {
                fireAndForget.sendOneWay(Requests.produce(topic, 0, (short) 0, "lost?"), (short) 9);
                assertTrue(fireAndForget.isClosedByPeer());
            }
            // ...while an acks=0 produce to the leader is written and the connection stays open.
            try (WireClient fireAndForget = new WireClient("127.0.0.1", cluster.port(leader))) {
                fireAndForget.sendOneWay(Requests.produce(topic, 0, (short) 0, "kept"), (short) 9);
                assertEquals(Errors.NONE.code(), produce(fireAndForget, topic, "after"));
                FetchResponse fetched = (FetchResponse) fireAndForget.send(Requests.fetch(topic, 0, 0), (short) 12);
                List<String> values = new ArrayList<>();
                for (RecordBatch batch : FetchResponse.recordsOrFail(fetched.data().responses().get(0).partitions().get(0)).batches()) {
                    for (Record record : batch) {
                        values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                    }
                }
                assertEquals(List.of("accepted", "kept", "after"), values);
            }
        }
    }

    private static short produce(WireClient client, String topic, String value) throws Exception {
        ProduceResponse response = (ProduceResponse) client.send(Requests.produce(topic, 0, (short) 1, value), (short) 9);
        return response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static short fetchError(WireClient client, String topic) throws Exception {
        FetchResponse response = (FetchResponse) client.send(Requests.fetch(topic, 0, 0), (short) 12);
        return response.data().responses().get(0).partitions().get(0).errorCode();
    }
}
