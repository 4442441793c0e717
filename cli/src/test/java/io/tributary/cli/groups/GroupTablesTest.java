package io.tributary.cli.groups;

import io.tributary.client.admin.GroupDescription;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The describe and reset tables: their rows, the lag, and the layout of kafka-consumer-groups. */
class GroupTablesTest {
    private static final Node COORDINATOR = new Node(0, "127.0.0.1", 19092, null);
    private static final TopicPartition T0 = new TopicPartition("cgref-t", 0);
    private static final TopicPartition T1 = new TopicPartition("cgref-t", 1);
    private static final TopicPartition T2 = new TopicPartition("cgref-t", 2);

    private static GroupDescription empty() {
        return new GroupDescription("cgref-g", "Empty", "consumer", "", COORDINATOR, List.of());
    }

    @Test
    void anEmptyGroupsOffsetsTableIsLaidOutAsKafkasTool() {
        List<OffsetRow> rows = GroupTables.offsetRows(empty(), Map.of(T2, 90L, T0, 0L, T1, 0L), Map.of(T0, 0L, T1, 0L, T2, 100L));
        // Printed by kafka-consumer-groups 4.1 --describe for the same group on Kafka 3.9.1 (rows there in its own order).
        assertEquals(List.of(
                "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID",
                "cgref-g         cgref-t         0          0               0               0               -               -               -",
                "cgref-g         cgref-t         1          0               0               0               -               -               -",
                "cgref-g         cgref-t         2          90              100             10              -               -               -"),
                GroupTables.offsets(rows));
    }

    @Test
    void membersPartitionsComeFirstAndUnknownValuesShowAsDashes() {
        MemberDescription member = new MemberDescription("console-consumer-d1fd7927-7b4e-4930-a825-29cbe9585fde", null,
                "console-consumer", "/127.0.0.1", List.of(T1));
        GroupDescription stable = new GroupDescription("cgref-live", "Stable", "consumer", "range", COORDINATOR, List.of(member));
        // T1 assigned but never committed; T0 committed, unassigned; the log end of T0 unknown (topic deleted).
        List<OffsetRow> rows = GroupTables.offsetRows(stable, Map.of(T0, 5L), Map.of(T1, 42L));
        assertEquals(List.of(T1, T0), rows.stream().map(OffsetRow::partition).toList());
        assertNull(rows.get(0).lag(), "no commit, no lag");
        assertNull(rows.get(1).lag(), "no log end, no lag");
        assertEquals(List.of(
                "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                           HOST            CLIENT-ID",
                "cgref-live      cgref-t         1          -               42              -               console-consumer-d1fd7927-7b4e-4930-a825-29cbe9585fde /127.0.0.1      console-consumer",
                "cgref-live      cgref-t         0          5               -               -               -                                                     -               -"),
                GroupTables.offsets(rows));
    }

    @Test
    void lagIsLogEndMinusCommittedAndNeverNegative() {
        assertEquals(1_000L, new OffsetRow("g", T0, 300L, 1_300L, "-", "-", "-").lag());
        assertEquals(0L, new OffsetRow("g", T0, 50L, 40L, "-", "-", "-").lag(), "a log truncated below the commit");
    }

    @Test
    void membersTableListsEachMembersAssignment() {
        GroupDescription g = new GroupDescription("app", "Stable", "consumer", "range", COORDINATOR, List.of(
                new MemberDescription("m-2", null, "c2", "/10.0.0.2", List.of()),
                new MemberDescription("m-1", "static-1", "c1", "/10.0.0.1", List.of(T2, T0, new TopicPartition("audit", 3)))));
        assertEquals(List.of(
                "GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS  ASSIGNMENT",
                "app             m-1             /10.0.0.1       c1              3            audit:3;cgref-t:0,2",
                "app             m-2             /10.0.0.2       c2              0            -"),
                GroupTables.members(g));
    }

    @Test
    void stateAndResetTablesAreLaidOutAsKafkasTool() {
        assertEquals(List.of(
                "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS",
                "cgref-g         127.0.0.1:19092  (0)      -                    Empty                0"),
                GroupTables.state(empty()));
        assertEquals(List.of(
                "GROUP                          TOPIC                          PARTITION  NEW-OFFSET",
                "cgref-g                        cgref-t                        0          0",
                "cgref-g                        cgref-t                        2          100"),
                GroupTables.newOffsets("cgref-g", Map.of(T2, 100L, T0, 0L)));
    }
}
