package io.tributary.broker.fetch;

import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import io.tributary.coordinator.metadata.TopicMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;

/**
 * One partition of a fetch: what the client asked for and the local partition serving it, or the
 * error that answers it. Resolved once, then re-read as often as the fetch waits.
 */
record FetchTarget(String topicName, Uuid topicId, int partitionIndex, long fetchOffset, int partitionMaxBytes,
                   int currentLeaderEpoch, Partition partition, ApiError resolveError) {

    /** Fetch v13 names topics by id (KIP-516). */
    static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;

    static FetchTarget resolve(TopicLookup topics, PartitionLookup partitions, short version,
                               FetchRequestData.FetchTopic topic, FetchRequestData.FetchPartition request) {
        boolean byId = version >= FIRST_VERSION_WITH_TOPIC_IDS;
        Partition partition = null;
        ApiError error = null;
        try {
            TopicMetadata metadata = topics.resolve(byId, topic.topic(), topic.topicId());
            partition = partitions.leaderFor(metadata, request.partition());
            PartitionLookup.checkLeaderEpoch(partition, request.currentLeaderEpoch());
        } catch (ApiError e) {
            partition = null;
            error = e;
        }
        return new FetchTarget(topic.topic(), topic.topicId(), request.partition(), request.fetchOffset(),
                request.partitionMaxBytes(), request.currentLeaderEpoch(), partition, error);
    }
}
