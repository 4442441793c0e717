package io.tributary.client.consumer;

import io.tributary.client.common.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupConfigTest {

    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:9092");
        return m;
    }

    private static ConfigException refused(Map<String, Object> m) {
        return assertThrows(ConfigException.class, () -> ConsumerConfig.from(m));
    }

    @Test
    void kafkasDefaults() {
        Map<String, Object> m = base();
        m.put("group.id", "g");
        GroupConfig g = ConsumerConfig.from(m).group();
        assertEquals(Optional.of("g"), g.groupId());
        assertEquals(Optional.empty(), g.groupInstanceId());
        assertEquals(45_000, g.sessionTimeoutMs());
        assertEquals(3_000, g.heartbeatIntervalMs());
        assertEquals(300_000, g.maxPollIntervalMs());
        assertTrue(g.enableAutoCommit());
        assertEquals(5_000, g.autoCommitIntervalMs());
        assertEquals(List.of("range", "cooperative-sticky"), g.assignmentStrategies());
    }

    @Test
    void withoutAGroupThereIsNoAutoCommit() {
        GroupConfig g = ConsumerConfig.from(base()).group();
        assertFalse(g.hasGroup());
        assertFalse(g.enableAutoCommit());
    }

    @Test
    void settingsThatNeedAGroupAreRefusedWithoutOne() {
        Map<String, Object> m = base();
        m.put("enable.auto.commit", "true");
        ConfigException e = refused(m);
        assertEquals("enable.auto.commit", e.key());
        assertTrue(e.getMessage().contains("group.id"), e.getMessage());

        Map<String, Object> m2 = base();
        m2.put("group.instance.id", "host-1");
        assertEquals("group.instance.id", refused(m2).key());
    }

    @Test
    void badValuesAreNamed() {
        Map<String, Object> m = base();
        m.put("group.id", "");
        assertEquals("group.id", refused(m).key());

        Map<String, Object> m2 = base();
        m2.put("group.id", "g");
        m2.put("session.timeout.ms", "6000");
        m2.put("heartbeat.interval.ms", "6000");
        ConfigException e = refused(m2);
        assertEquals("heartbeat.interval.ms", e.key());
        assertTrue(e.getMessage().contains("session.timeout.ms"), e.getMessage());

        Map<String, Object> m3 = base();
        m3.put("group.id", "g");
        m3.put("partition.assignment.strategy", "range,sticky");
        ConfigException e3 = refused(m3);
        assertEquals("partition.assignment.strategy", e3.key());
        assertTrue(e3.getMessage().contains("'sticky'") && e3.getMessage().contains("cooperative-sticky"), e3.getMessage());

        Map<String, Object> m4 = base();
        m4.put("group.id", "g");
        m4.put("group.instance.id", "has space");
        assertEquals("group.instance.id", refused(m4).key());

        Map<String, Object> m5 = base();
        m5.put("group.id", "g");
        m5.put("max.poll.interval.ms", "0");
        assertEquals("max.poll.interval.ms", refused(m5).key());
    }

    @Test
    void kafkasClassNamesAndOrderOfPreferenceAreAccepted() {
        Map<String, Object> m = base();
        m.put("group.id", "g");
        m.put("partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor, roundrobin");
        GroupConfig g = ConsumerConfig.from(m).group();
        assertEquals(List.of("cooperative-sticky", "roundrobin"), g.assignmentStrategies());
    }

    @Test
    void theRebalanceProtocolIsCooperativeOnlyWhenEveryOfferedAssignorIs() {
        assertEquals(PartitionAssignor.RebalanceProtocol.EAGER,
                Assignors.protocolOf(Assignors.create(List.of("range", "cooperative-sticky"))));
        assertEquals(PartitionAssignor.RebalanceProtocol.COOPERATIVE,
                Assignors.protocolOf(Assignors.create(List.of("cooperative-sticky"))));
    }
}
