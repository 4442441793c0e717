package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;
import org.apache.kafka.common.protocol.types.Type;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The records of {@code __consumer_offsets}, in Kafka's own layouts so Kafka's tools can read the topic: a key
 * and a value, each a big-endian int16 version followed by the struct. Key version 1 is an offset commit
 * (group, topic, partition), key version 2 a group's metadata (group). We write OffsetCommitValue v3 and
 * GroupMetadataValue v3 (the last non-flexible versions) and read v0-v3 of both. A null value is a tombstone.
 */
public final class GroupRecords {

    static final short OFFSET_KEY_VERSION = 1;
    static final short GROUP_KEY_VERSION = 2;
    static final short OFFSET_VALUE_VERSION = 3;
    static final short GROUP_VALUE_VERSION = 3;

    private static final Schema OFFSET_KEY = new Schema(
            new Field("group", Type.STRING), new Field("topic", Type.STRING), new Field("partition", Type.INT32));
    private static final Schema GROUP_KEY = new Schema(new Field("group", Type.STRING));

    private static final Schema OFFSET_VALUE_V0 = new Schema(new Field("offset", Type.INT64),
            new Field("metadata", Type.STRING), new Field("commit_timestamp", Type.INT64));
    private static final Schema OFFSET_VALUE_V1 = new Schema(new Field("offset", Type.INT64),
            new Field("metadata", Type.STRING), new Field("commit_timestamp", Type.INT64), new Field("expire_timestamp", Type.INT64));
    private static final Schema OFFSET_VALUE_V2 = OFFSET_VALUE_V0;
    private static final Schema OFFSET_VALUE_V3 = new Schema(new Field("offset", Type.INT64),
            new Field("leader_epoch", Type.INT32), new Field("metadata", Type.STRING), new Field("commit_timestamp", Type.INT64));
    private static final Schema[] OFFSET_VALUES = {OFFSET_VALUE_V0, OFFSET_VALUE_V1, OFFSET_VALUE_V2, OFFSET_VALUE_V3};

    private static final Schema MEMBER_V0 = new Schema(new Field("member_id", Type.STRING), new Field("client_id", Type.STRING),
            new Field("client_host", Type.STRING), new Field("session_timeout", Type.INT32),
            new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES));
    private static final Schema MEMBER_V1 = new Schema(new Field("member_id", Type.STRING), new Field("client_id", Type.STRING),
            new Field("client_host", Type.STRING), new Field("rebalance_timeout", Type.INT32), new Field("session_timeout", Type.INT32),
            new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES));
    private static final Schema MEMBER_V3 = new Schema(new Field("member_id", Type.STRING),
            new Field("group_instance_id", Type.NULLABLE_STRING), new Field("client_id", Type.STRING),
            new Field("client_host", Type.STRING), new Field("rebalance_timeout", Type.INT32), new Field("session_timeout", Type.INT32),
            new Field("subscription", Type.BYTES), new Field("assignment", Type.BYTES));
    private static final Schema GROUP_VALUE_V0 = groupValue(MEMBER_V0, false);
    private static final Schema GROUP_VALUE_V1 = groupValue(MEMBER_V1, false);
    private static final Schema GROUP_VALUE_V2 = groupValue(MEMBER_V1, true);
    private static final Schema GROUP_VALUE_V3 = groupValue(MEMBER_V3, true);
    private static final Schema[] GROUP_VALUES = {GROUP_VALUE_V0, GROUP_VALUE_V1, GROUP_VALUE_V2, GROUP_VALUE_V3};

    private GroupRecords() {
    }

    private static Schema groupValue(Schema member, boolean withStateTimestamp) {
        List<Field> fields = new ArrayList<>(List.of(new Field("protocol_type", Type.STRING), new Field("generation", Type.INT32),
                new Field("protocol", Type.NULLABLE_STRING), new Field("leader", Type.NULLABLE_STRING)));
        if (withStateTimestamp) {
            fields.add(new Field("current_state_timestamp", Type.INT64));
        }
        fields.add(new Field("members", new ArrayOf(member)));
        return new Schema(fields.toArray(Field[]::new));
    }

    /** A committed offset as stored. */
    public record OffsetValue(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}

    /** One member as stored with its group. */
    public record MemberValue(String memberId, String groupInstanceId, String clientId, String clientHost,
                              int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {}

    /** A group's metadata as stored after a rebalance (or when it became empty). */
    public record GroupValue(String protocolType, int generation, String protocol, String leader,
                             long currentStateTimestamp, List<MemberValue> members) {}

    /** What one record of the offsets topic says; {@code value == null} is a tombstone. */
    public sealed interface Entry {
        record Offset(String group, TopicPartition topicPartition, OffsetValue value) implements Entry {}
        record Group(String group, GroupValue value) implements Entry {}
    }

    // ---- writing ----

    public static SimpleRecord offsetRecord(String group, TopicPartition tp, OffsetValue value, long now) {
        return new SimpleRecord(now, offsetKey(group, tp), value == null ? null : offsetValue(value));
    }

    public static SimpleRecord groupRecord(String group, GroupValue value, long now) {
        return new SimpleRecord(now, groupKey(group), value == null ? null : groupValue(value));
    }

    /** One uncompressed v2 batch of records, ready for the offsets partition's leader to append. */
    public static MemoryRecords batch(List<SimpleRecord> records) {
        return MemoryRecords.withRecords(Compression.NONE, records.toArray(SimpleRecord[]::new));
    }

    static byte[] offsetKey(String group, TopicPartition tp) {
        Struct key = new Struct(OFFSET_KEY).set("group", group).set("topic", tp.topic()).set("partition", tp.partition());
        return serialize(OFFSET_KEY_VERSION, key);
    }

    static byte[] groupKey(String group) {
        return serialize(GROUP_KEY_VERSION, new Struct(GROUP_KEY).set("group", group));
    }

    static byte[] offsetValue(OffsetValue value) {
        Struct struct = new Struct(OFFSET_VALUE_V3)
                .set("offset", value.offset())
                .set("leader_epoch", value.leaderEpoch())
                .set("metadata", value.metadata() == null ? "" : value.metadata())
                .set("commit_timestamp", value.commitTimestamp());
        return serialize(OFFSET_VALUE_VERSION, struct);
    }

    static byte[] groupValue(GroupValue value) {
        Struct struct = new Struct(GROUP_VALUE_V3)
                .set("protocol_type", value.protocolType() == null ? "" : value.protocolType())
                .set("generation", value.generation())
                .set("protocol", value.protocol())
                .set("leader", value.leader())
                .set("current_state_timestamp", value.currentStateTimestamp());
        List<Struct> members = new ArrayList<>();
        for (MemberValue member : value.members()) {
            members.add(new Struct(MEMBER_V3)
                    .set("member_id", member.memberId())
                    .set("group_instance_id", member.groupInstanceId())
                    .set("client_id", member.clientId())
                    .set("client_host", member.clientHost())
                    .set("rebalance_timeout", member.rebalanceTimeoutMs())
                    .set("session_timeout", member.sessionTimeoutMs())
                    .set("subscription", ByteBuffer.wrap(member.subscription()))
                    .set("assignment", ByteBuffer.wrap(member.assignment())));
        }
        struct.set("members", members.toArray());
        return serialize(GROUP_VALUE_VERSION, struct);
    }

    private static byte[] serialize(short version, Struct struct) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + struct.sizeOf());
        buffer.putShort(version);
        struct.writeTo(buffer);
        return buffer.array();
    }

    // ---- reading ----

    /**
     * Parses one record of the offsets topic. Returns null for keys this broker does not know (newer Kafka
     * record types, such as the consumer protocol's), which replay skips.
     */
    public static Entry parse(ByteBuffer key, ByteBuffer value) {
        if (key == null) {
            return null;
        }
        ByteBuffer k = key.duplicate();
        short keyVersion = k.getShort();
        if (keyVersion == 0 || keyVersion == 1) {
            Struct struct = OFFSET_KEY.read(k);
            TopicPartition tp = new TopicPartition(struct.getString("topic"), struct.getInt("partition"));
            return new Entry.Offset(struct.getString("group"), tp, value == null ? null : readOffsetValue(value.duplicate()));
        }
        if (keyVersion == 2) {
            Struct struct = GROUP_KEY.read(k);
            return new Entry.Group(struct.getString("group"), value == null ? null : readGroupValue(value.duplicate()));
        }
        return null;
    }

    static OffsetValue readOffsetValue(ByteBuffer buffer) {
        short version = buffer.getShort();
        if (version < 0 || version >= OFFSET_VALUES.length) {
            throw new IllegalArgumentException("unknown offset commit value version " + version);
        }
        Struct struct = OFFSET_VALUES[version].read(buffer);
        int leaderEpoch = version >= 3 ? struct.getInt("leader_epoch") : -1;
        return new OffsetValue(struct.getLong("offset"), leaderEpoch, struct.getString("metadata"),
                struct.getLong("commit_timestamp"));
    }

    static GroupValue readGroupValue(ByteBuffer buffer) {
        short version = buffer.getShort();
        if (version < 0 || version >= GROUP_VALUES.length) {
            throw new IllegalArgumentException("unknown group metadata value version " + version);
        }
        Struct struct = GROUP_VALUES[version].read(buffer);
        List<MemberValue> members = new ArrayList<>();
        for (Object o : struct.getArray("members")) {
            Struct member = (Struct) o;
            int sessionTimeout = member.getInt("session_timeout");
            members.add(new MemberValue(member.getString("member_id"),
                    version >= 3 ? member.getString("group_instance_id") : null,
                    member.getString("client_id"), member.getString("client_host"),
                    version >= 1 ? member.getInt("rebalance_timeout") : sessionTimeout, sessionTimeout,
                    bytes(member.getBytes("subscription")), bytes(member.getBytes("assignment"))));
        }
        return new GroupValue(struct.getString("protocol_type"), struct.getInt("generation"), struct.getString("protocol"),
                struct.getString("leader"), version >= 2 ? struct.getLong("current_state_timestamp") : -1, members);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
