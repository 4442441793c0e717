package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The records of __consumer_offsets keep Kafka's layouts (a version, then the struct), so Kafka's own readers
 * (GroupMetadataMessageFormatter, OffsetsMessageFormatter) can read them; and they read back as written.
 */
class GroupRecordsTest {

    @Test
    void anOffsetCommitKeyIsKafkasVersion1Layout() {
        byte[] key = GroupRecords.offsetKey("g1", new TopicPartition("t", 3));
        ByteBuffer expected = ByteBuffer.allocate(2 + 2 + 2 + 2 + 1 + 4);
        expected.putShort((short) 1).putShort((short) 2).put("g1".getBytes(StandardCharsets.UTF_8))
                .putShort((short) 1).put("t".getBytes(StandardCharsets.UTF_8)).putInt(3);
        assertArrayEquals(expected.array(), key);
    }

    @Test
    void anOffsetCommitValueIsKafkasVersion3Layout() {
        byte[] value = GroupRecords.offsetValue(new GroupRecords.OffsetValue(42, 7, "m", 1234));
        ByteBuffer expected = ByteBuffer.allocate(2 + 8 + 4 + 2 + 1 + 8);
        expected.putShort((short) 3).putLong(42).putInt(7).putShort((short) 1).put((byte) 'm').putLong(1234);
        assertArrayEquals(expected.array(), value);
    }

    @Test
    void offsetsGroupsAndTombstonesReadBackAsWritten() {
        TopicPartition tp = new TopicPartition("orders", 5);
        SimpleRecord offset = GroupRecords.offsetRecord("g", tp, new GroupRecords.OffsetValue(10, 2, "meta", 99), 1);
        var parsedOffset = assertInstanceOf(GroupRecords.Entry.Offset.class, GroupRecords.parse(offset.key(), offset.value()));
        assertEquals("g", parsedOffset.group());
        assertEquals(tp, parsedOffset.topicPartition());
        assertEquals(new GroupRecords.OffsetValue(10, 2, "meta", 99), parsedOffset.value());

        GroupRecords.MemberValue member = new GroupRecords.MemberValue("m-1", "instance", "client", "/10.0.0.1", 300_000,
                45_000, new byte[] {1, 2}, new byte[] {3});
        SimpleRecord group = GroupRecords.groupRecord("g", new GroupRecords.GroupValue("consumer", 4, "range", "m-1", 555,
                List.of(member)), 1);
        var parsedGroup = assertInstanceOf(GroupRecords.Entry.Group.class, GroupRecords.parse(group.key(), group.value()));
        GroupRecords.GroupValue value = parsedGroup.value();
        assertEquals("consumer", value.protocolType());
        assertEquals(4, value.generation());
        assertEquals("range", value.protocol());
        assertEquals("m-1", value.leader());
        assertEquals(555, value.currentStateTimestamp());
        GroupRecords.MemberValue readMember = value.members().get(0);
        assertEquals("instance", readMember.groupInstanceId());
        assertEquals(300_000, readMember.rebalanceTimeoutMs());
        assertArrayEquals(new byte[] {1, 2}, readMember.subscription());
        assertArrayEquals(new byte[] {3}, readMember.assignment());

        SimpleRecord tombstone = GroupRecords.groupRecord("g", null, 1);
        assertNull(tombstone.value());
        assertNull(assertInstanceOf(GroupRecords.Entry.Group.class, GroupRecords.parse(tombstone.key(), null)).value());
    }
}
