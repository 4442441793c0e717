package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our subscription and assignment bytes are the official client's (its ConsumerProtocol reads ours and we read
 * its), which is what lets client-sdk and official consumers lead and follow each other in one group.
 */
class ConsumerProtocolCodecTest {

    @Test
    void theOfficialClientReadsOurSubscription() {
        byte[] ours = ConsumerProtocolCodec.encodeSubscription(List.of("b", "a"),
                List.of(new TopicPartition("a", 2), new TopicPartition("a", 0), new TopicPartition("b", 1)), 7);
        ConsumerPartitionAssignor.Subscription theirs = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(ours));
        assertEquals(List.of("b", "a"), theirs.topics());
        assertEquals(List.of(new org.apache.kafka.common.TopicPartition("a", 0), new org.apache.kafka.common.TopicPartition("a", 2),
                new org.apache.kafka.common.TopicPartition("b", 1)), theirs.ownedPartitions());
        assertEquals(Optional.of(7), theirs.generationId());
    }

    @Test
    void weReadTheOfficialClientsSubscription() {
        ConsumerPartitionAssignor.Subscription theirs = new ConsumerPartitionAssignor.Subscription(List.of("x"), null,
                List.of(new org.apache.kafka.common.TopicPartition("x", 3)), 12, Optional.of("rack-1"));
        ByteBuffer bytes = ConsumerProtocol.serializeSubscription(theirs);
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        MemberSubscription ours = ConsumerProtocolCodec.decodeSubscription(array, Optional.of("static-1"));
        assertEquals(List.of("x"), ours.topics());
        assertEquals(List.of(new TopicPartition("x", 3)), ours.ownedPartitions());
        assertEquals(12, ours.generation());
        assertEquals(Optional.of("static-1"), ours.groupInstanceId());
    }

    @Test
    void assignmentsGoBothWays() {
        List<TopicPartition> partitions = List.of(new TopicPartition("t", 0), new TopicPartition("t", 5), new TopicPartition("u", 1));
        ConsumerPartitionAssignor.Assignment theirs = ConsumerProtocol.deserializeAssignment(
                ByteBuffer.wrap(ConsumerProtocolCodec.encodeAssignment(partitions)));
        assertEquals(List.of(new org.apache.kafka.common.TopicPartition("t", 0), new org.apache.kafka.common.TopicPartition("t", 5),
                new org.apache.kafka.common.TopicPartition("u", 1)), theirs.partitions());

        ByteBuffer official = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(theirs.partitions()));
        byte[] array = new byte[official.remaining()];
        official.get(array);
        assertEquals(partitions, ConsumerProtocolCodec.decodeAssignment(array));
        assertEquals(List.of(), ConsumerProtocolCodec.decodeAssignment(new byte[0]), "a member given nothing may get no bytes");
    }

    @Test
    void anOlderSubscriptionVersionHasNoGeneration() {
        ByteBuffer v0 = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of("t")), (short) 0);
        byte[] array = new byte[v0.remaining()];
        v0.get(array);
        MemberSubscription s = ConsumerProtocolCodec.decodeSubscription(array, Optional.empty());
        assertEquals(List.of("t"), s.topics());
        assertEquals(MemberSubscription.NO_GENERATION, s.generation());
    }
}
