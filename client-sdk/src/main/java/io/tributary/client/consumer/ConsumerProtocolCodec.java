package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bytes inside JoinGroup/SyncGroup for protocol type "consumer": Kafka's ConsumerProtocol, a 2-byte
 * version followed by the subscription or assignment at that version. We write version 3, as Kafka's 3.x/4.x
 * clients do, and read any version: a newer one is read with our newest schema, because later versions only
 * append fields (that is ConsumerProtocol's compatibility rule).
 */
final class ConsumerProtocolCodec {
    static final String PROTOCOL_TYPE = "consumer";
    private static final short VERSION = 3;

    private ConsumerProtocolCodec() {
    }

    static byte[] encodeSubscription(List<String> topics, List<TopicPartition> owned, int generation) {
        ConsumerProtocolSubscription s = new ConsumerProtocolSubscription().setTopics(new ArrayList<>(topics))
                .setGenerationId(generation);
        ConsumerProtocolSubscription.TopicPartitionCollection ownedByTopic = new ConsumerProtocolSubscription.TopicPartitionCollection();
        byTopic(owned).forEach((topic, partitions) -> ownedByTopic.add(
                new ConsumerProtocolSubscription.TopicPartition().setTopic(topic).setPartitions(partitions)));
        s.setOwnedPartitions(ownedByTopic);
        return encode(s);
    }

    static MemberSubscription decodeSubscription(byte[] bytes, Optional<String> groupInstanceId) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = readVersion(buffer, "subscription");
        ConsumerProtocolSubscription s = new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer),
                (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION));
        List<TopicPartition> owned = new ArrayList<>();
        for (ConsumerProtocolSubscription.TopicPartition t : s.ownedPartitions()) {
            t.partitions().forEach(p -> owned.add(new TopicPartition(t.topic(), p)));
        }
        return new MemberSubscription(s.topics(), owned, version >= 2 ? s.generationId() : MemberSubscription.NO_GENERATION,
                groupInstanceId);
    }

    static byte[] encodeAssignment(List<TopicPartition> partitions) {
        ConsumerProtocolAssignment a = new ConsumerProtocolAssignment();
        ConsumerProtocolAssignment.TopicPartitionCollection assigned = new ConsumerProtocolAssignment.TopicPartitionCollection();
        byTopic(partitions).forEach((topic, ps) -> assigned.add(
                new ConsumerProtocolAssignment.TopicPartition().setTopic(topic).setPartitions(ps)));
        a.setAssignedPartitions(assigned);
        return encode(a);
    }

    /** An empty or absent assignment (a member the leader gave nothing) decodes to no partitions. */
    static List<TopicPartition> decodeAssignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return List.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = readVersion(buffer, "assignment");
        ConsumerProtocolAssignment a = new ConsumerProtocolAssignment(new ByteBufferAccessor(buffer),
                (short) Math.min(version, ConsumerProtocolAssignment.HIGHEST_SUPPORTED_VERSION));
        List<TopicPartition> partitions = new ArrayList<>();
        for (ConsumerProtocolAssignment.TopicPartition t : a.assignedPartitions()) {
            t.partitions().forEach(p -> partitions.add(new TopicPartition(t.topic(), p)));
        }
        return partitions;
    }

    private static short readVersion(ByteBuffer buffer, String what) {
        if (buffer.remaining() < 2) {
            throw new IllegalArgumentException("Consumer protocol " + what + " of " + buffer.remaining() + " bytes has no version");
        }
        short version = buffer.getShort();
        if (version < 0) {
            throw new IllegalArgumentException("Consumer protocol " + what + " has invalid version " + version);
        }
        return version;
    }

    private static byte[] encode(ApiMessage message) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, VERSION);
        ByteBuffer buffer = ByteBuffer.allocate(2 + size);
        buffer.putShort(VERSION);
        message.write(new ByteBufferAccessor(buffer), cache, VERSION);
        return buffer.array();
    }

    private static Map<String, List<Integer>> byTopic(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.stream().sorted().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return byTopic;
    }
}
