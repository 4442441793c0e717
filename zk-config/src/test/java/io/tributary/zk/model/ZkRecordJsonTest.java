package io.tributary.zk.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.zk.ZkDataException;
import io.tributary.zk.ZkJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZkRecordJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static JsonNode tree(Object record) throws Exception {
        return PLAIN.readTree(ZkJson.toBytes(record));
    }

    private static <T> T roundTrip(T record, Class<T> type) {
        return ZkJson.fromBytes(ZkJson.toBytes(record), type);
    }

    @Test
    void brokerRegistrationUsesSnakeCaseFieldsAndRoundTrips() throws Exception {
        var reg = new BrokerRegistration(3, "host-a", 9093, "rack-1", List.of("PLAINTEXT://host-a:9093"), 1_700_000_000_123L);
        JsonNode json = tree(reg);
        assertEquals(1, json.get("version").asInt());
        assertEquals(3, json.get("broker_id").asInt());
        assertEquals("host-a", json.get("host").asText());
        assertEquals(9093, json.get("port").asInt());
        assertEquals("rack-1", json.get("rack").asText());
        assertEquals("PLAINTEXT://host-a:9093", json.get("endpoints").get(0).asText());
        assertEquals(1_700_000_000_123L, json.get("start_time_ms").asLong());
        assertEquals(7, json.size(), "exactly the documented fields: " + json);
        assertEquals(reg, roundTrip(reg, BrokerRegistration.class));
        assertEquals("host-a:9093", reg.address());
    }

    @Test
    void brokerRegistrationWithoutRackKeepsNull() {
        var reg = new BrokerRegistration(1, "h", 1, null, List.of(), 5L);
        assertNull(roundTrip(reg, BrokerRegistration.class).rack());
    }

    @Test
    void topicAssignmentMatchesTheDocumentedJson() throws Exception {
        var assignment = new TopicAssignment("AAAAAAAAAAAAAAAAAAAAAQ", Map.of(1, List.of(2, 3), 0, List.of(1, 2)));
        String json = new String(ZkJson.toBytes(assignment), StandardCharsets.UTF_8);
        assertEquals(PLAIN.readTree("{\"version\":1,\"topic_id\":\"AAAAAAAAAAAAAAAAAAAAAQ\",\"partitions\":{\"0\":[1,2],\"1\":[2,3]}}"),
                PLAIN.readTree(json));
        TopicAssignment back = roundTrip(assignment, TopicAssignment.class);
        assertEquals(assignment, back);
        assertEquals(List.of(2, 3), back.replicas(1));
        assertEquals(List.of(0, 1), List.copyOf(back.partitions().keySet()), "partitions in order");
    }

    @Test
    void partitionStateMatchesTheDocumentedJsonAndTransitions() throws Exception {
        var state = new PartitionState(1, 3, List.of(1, 2));
        assertEquals(PLAIN.readTree("{\"version\":1,\"leader\":1,\"leader_epoch\":3,\"isr\":[1,2]}"), tree(state));
        assertEquals(state, roundTrip(state, PartitionState.class));

        PartitionState moved = state.withLeader(2);
        assertEquals(new PartitionState(2, 4, List.of(1, 2)), moved);
        PartitionState shrunk = moved.withIsr(List.of(2));
        assertEquals(new PartitionState(2, 4, List.of(2)), shrunk);

        PartitionState initial = PartitionState.initial(List.of(4, 5));
        assertFalse(initial.hasLeader());
        assertEquals(-1, initial.leader());
        assertEquals(0, initial.leaderEpoch());
        assertTrue(initial.inIsr(5));
        assertFalse(initial.inIsr(6));
    }

    @Test
    void topicConfigProducerIdBlockAndClusterIdRoundTrip() throws Exception {
        var config = new TopicConfig(Map.of("retention.ms", "1000", "min.insync.replicas", "2"));
        assertEquals(PLAIN.readTree("{\"version\":1,\"config\":{\"min.insync.replicas\":\"2\",\"retention.ms\":\"1000\"}}"), tree(config));
        assertEquals(config, roundTrip(config, TopicConfig.class));

        var block = new ProducerIdBlock(2, 1000, 1000);
        assertEquals(PLAIN.readTree("{\"version\":1,\"broker_id\":2,\"first_producer_id\":1000,\"size\":1000}"), tree(block));
        assertEquals(1999, block.lastProducerId());
        assertEquals(block, roundTrip(block, ProducerIdBlock.class));

        var clusterId = new ClusterId("abcdefghijklmnopqrstuv");
        assertEquals(PLAIN.readTree("{\"version\":1,\"id\":\"abcdefghijklmnopqrstuv\"}"), tree(clusterId));
        assertEquals(clusterId, roundTrip(clusterId, ClusterId.class));
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        byte[] newer = "{\"version\":2,\"leader\":1,\"leader_epoch\":3,\"isr\":[1],\"controller_epoch\":9}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new PartitionState(1, 3, List.of(1)), ZkJson.fromBytes(newer, PartitionState.class));
    }

    @Test
    void badContentIsReportedWithTypeAndContent() {
        byte[] bad = "{\"leader\":\"x\"".getBytes(StandardCharsets.UTF_8);
        ZkDataException e = assertThrows(ZkDataException.class, () -> ZkJson.fromBytes(bad, PartitionState.class));
        assertTrue(e.getMessage().contains("PartitionState"), e.getMessage());
        assertTrue(e.getMessage().contains("{\"leader\":\"x\""), e.getMessage());

        byte[] missing = "{\"version\":1,\"leader\":1}".getBytes(StandardCharsets.UTF_8);
        ZkDataException e2 = assertThrows(ZkDataException.class, () -> ZkJson.fromBytes(missing, PartitionState.class));
        assertTrue(e2.getMessage().contains("PartitionState"), e2.getMessage());

        assertThrows(ZkDataException.class, () -> ZkJson.fromBytes(new byte[0], ClusterId.class));
    }
}
