package io.tributary.client.admin;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.network.MetadataRequests;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What describeTopics hands out per partition: the leader epoch and the replicas whose broker is down. */
class PartitionInfoFromMetadataTest {

    @Test
    void carriesLeaderEpochAndOfflineReplicas() {
        MetadataResponseData response = new MetadataResponseData().setClusterId("c").setControllerId(1);
        response.brokers().add(new MetadataResponseBroker().setNodeId(1).setHost("localhost").setPort(9092));
        response.brokers().add(new MetadataResponseBroker().setNodeId(2).setHost("localhost").setPort(9093));
        MetadataResponseTopic topic = new MetadataResponseTopic().setName("t").setErrorCode(Errors.NONE.code());
        topic.partitions().add(new MetadataResponsePartition().setPartitionIndex(0).setLeaderId(2).setLeaderEpoch(7)
                .setReplicaNodes(List.of(3, 2, 1)).setIsrNodes(List.of(2, 1)));
        topic.partitions().add(new MetadataResponsePartition().setPartitionIndex(1).setLeaderId(-1).setLeaderEpoch(4)
                .setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()).setReplicaNodes(List.of(3)).setIsrNodes(List.of(3)));
        response.topics().add(topic);

        List<PartitionInfo> partitions = MetadataRequests.parse(response, 0L).partitionInfos("t");

        PartitionInfo p0 = partitions.get(0);
        assertEquals(2, p0.leader().id());
        assertEquals(7, p0.leaderEpoch());
        assertEquals(List.of(Node.unknown(3)), p0.offlineReplicas());
        assertTrue(p0.underReplicated());
        assertFalse(p0.offline());

        PartitionInfo p1 = partitions.get(1);
        assertNull(p1.leader());
        assertEquals(4, p1.leaderEpoch(), "the epoch of the last leader is kept while there is none");
        assertTrue(p1.offline());
        assertFalse(p1.underReplicated());
    }

    @Test
    void epochIsUnknownWithoutIt() {
        PartitionInfo p = new PartitionInfo("t", 0, null, List.of(), List.of());
        assertEquals(PartitionInfo.UNKNOWN_LEADER_EPOCH, p.leaderEpoch());
        assertEquals(List.of(), p.offlineReplicas());
    }
}
