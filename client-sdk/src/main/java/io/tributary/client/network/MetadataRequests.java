package io.tributary.client.network;

import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds Metadata requests for a version and reads responses into a {@link ClusterSnapshot}. */
public final class MetadataRequests {
    private MetadataRequests() {
    }

    /**
     * @param topics null for every topic (v1+ encodes "all" as a null array), empty for none
     */
    public static MetadataRequestData build(short version, Collection<String> topics, boolean allowAutoTopicCreation) {
        MetadataRequestData data = new MetadataRequestData();
        if (topics == null) {
            data.setTopics(null);
        } else {
            List<MetadataRequestData.MetadataRequestTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
            }
            data.setTopics(list);
        }
        if (version >= 4) {
            // Absent before v4 (where the broker's own setting decides); the field defaults to true.
            data.setAllowAutoTopicCreation(allowAutoTopicCreation);
        }
        return data;
    }

    /** The snapshot this response alone describes. */
    public static ClusterSnapshot parse(MetadataResponseData response, long nowMs) {
        Map<Integer, Node> brokers = new HashMap<>();
        for (MetadataResponseData.MetadataResponseBroker b : response.brokers()) {
            brokers.put(b.nodeId(), new Node(b.nodeId(), b.host(), b.port(), b.rack()));
        }
        Map<String, TopicMetadata> topics = new HashMap<>();
        for (MetadataResponseData.MetadataResponseTopic t : response.topics()) {
            if (t.name() == null) {
                continue; // v12 may omit names for topics requested by id; we request by name only
            }
            List<PartitionMetadata> partitions = new ArrayList<>();
            for (MetadataResponseData.MetadataResponsePartition p : t.partitions()) {
                partitions.add(new PartitionMetadata(new TopicPartition(t.name(), p.partitionIndex()),
                        Errors.forCode(p.errorCode()), p.leaderId(), p.leaderEpoch(), p.replicaNodes(), p.isrNodes()));
            }
            String topicId = t.topicId() == null || Uuid.ZERO_UUID.equals(t.topicId()) ? null : t.topicId().toString();
            topics.put(t.name(), new TopicMetadata(t.name(), topicId, Errors.forCode(t.errorCode()), t.isInternal(), partitions));
        }
        return new ClusterSnapshot(response.clusterId(), response.controllerId(), brokers, topics, nowMs);
    }
}
