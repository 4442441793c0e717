package io.tributary.broker.fetch;

import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metrics.RequestMetrics;
import io.tributary.broker.metrics.TopicTraffic;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.replica.Partition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Records;

/**
 * Reads every partition of a fetch once and builds the response; blocking (disk), so off the event loop.
 * A follower's fetch reads up to the log end offset, a consumer's up to the high watermark.
 */
final class FetchReader {

    private final List<FetchTarget> targets;
    private final int maxBytes;
    private final short version;
    private final boolean fromFollower;
    private final TopicTraffic traffic;
    private final RequestMetrics requests;

    FetchReader(List<FetchTarget> targets, int maxBytes, short version, boolean fromFollower,
                TopicTraffic traffic, RequestMetrics requests) {
        this.targets = targets;
        this.maxBytes = maxBytes;
        this.version = version;
        this.fromFollower = fromFollower;
        this.traffic = traffic;
        this.requests = requests;
    }

    /**
     * Whether a read could now return more than the last one, judged from offsets in memory only: some
     * partition has data past the fetch offset that this fetcher may see, or is no longer led here.
     */
    boolean mayHaveNewData() {
        for (FetchTarget target : targets) {
            Partition partition = target.partition();
            if (partition == null) {
                continue;
            }
            if (!partition.isLeader()) {
                return true;
            }
            long visibleEnd = fromFollower ? partition.logEndOffset() : partition.highWatermark();
            if (visibleEnd > target.fetchOffset()) {
                return true;
            }
        }
        return false;
    }

    List<FetchTarget> targets() {
        return targets;
    }

    /** A built response, how many record bytes it carries, and whether a partition of it failed. */
    record Result(FetchResponseData response, int bytes, boolean hasError) {}

    /**
     * Counts the record bytes of the response actually sent, per topic (a delayed fetch may read several times;
     * only the answer counts), and its partitions' error codes. Read from the response itself, so a read allocates
     * nothing for the counting, and only a response that has errors is walked for them.
     */
    void recordSent(Result result) {
        if (result.hasError() && requests.isEnabled()) {
            for (FetchResponseData.FetchableTopicResponse topic : result.response().responses()) {
                for (FetchResponseData.PartitionData p : topic.partitions()) {
                    if (p.errorCode() != Errors.NONE.code()) {
                        requests.partitionError(ApiKeys.FETCH, fromFollower, p.errorCode());
                    }
                }
            }
        }
        if (!traffic.isEnabled() || result.bytes() == 0) {
            return;
        }
        for (FetchResponseData.FetchableTopicResponse topic : result.response().responses()) {
            long bytes = 0;
            for (FetchResponseData.PartitionData p : topic.partitions()) {
                if (p.records() != null) {
                    bytes += p.records().sizeInBytes();
                }
            }
            if (bytes > 0) {
                traffic.fetched(topicName(topic), bytes, fromFollower);
            }
        }
    }

    /** The topic's name: in the response up to v12; from v13 on the response names it by id (KIP-516). */
    private String topicName(FetchResponseData.FetchableTopicResponse topic) {
        if (!topic.topic().isEmpty()) {
            return topic.topic();
        }
        for (FetchTarget target : targets) {
            if (topic.topicId().equals(target.topicId()) && target.partition() != null) {
                return target.partition().topicPartition().topic();
            }
        }
        return topic.topicId().toString();
    }

    Result read() {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        Map<String, FetchResponseData.FetchableTopicResponse> byTopic = new LinkedHashMap<>();
        int bytes = 0;
        boolean hasError = false;
        for (FetchTarget target : targets) {
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(target.partitionIndex());
            if (target.resolveError() != null) {
                setError(data, target.resolveError());
                hasError = true;
            } else {
                try {
                    // KIP-74: only the first batch of the response may exceed the limits, so a consumer
                    // always progresses, however large one batch is.
                    int budget = Math.min(target.partitionMaxBytes(), Math.max(maxBytes - bytes, 0));
                    Records records = read(target.partition(), target.fetchOffset(), budget, bytes == 0, fromFollower);
                    fillOffsets(data, target.partition());
                    data.setRecords(records);
                    bytes += records.sizeInBytes();
                } catch (RuntimeException e) {
                    // One partition's failure (a disk error, a log closed by deletion) is that partition's
                    // error code; the others in the same fetch are still answered.
                    setError(data, ApiError.from(e));
                    fillOffsets(data, target.partition());
                    hasError = true;
                }
            }
            topicResponse(byTopic, response, target).partitions().add(data);
        }
        return new Result(response, bytes, hasError);
    }

    private static Records read(Partition partition, long fetchOffset, int maxBytes, boolean minOneBatch, boolean fromFollower) {
        if (!partition.isLeader()) {
            throw new ApiError(Errors.NOT_LEADER_OR_FOLLOWER, "no longer the leader of " + partition.topicPartition());
        }
        try {
            LogReadResult result = fromFollower
                    ? partition.readForFollower(fetchOffset, maxBytes, minOneBatch)
                    : partition.readCommitted(fetchOffset, maxBytes, minOneBatch);
            return result.records();
        } catch (OffsetOutOfRangeException e) {
            throw new ApiError(Errors.OFFSET_OUT_OF_RANGE, "offset " + fetchOffset + " of " + partition.topicPartition()
                    + " is outside " + partition.logStartOffset() + ".." + partition.logEndOffset());
        }
    }

    private void fillOffsets(FetchResponseData.PartitionData data, Partition partition) {
        long highWatermark = partition.highWatermark();
        data.setHighWatermark(highWatermark).setLastStableOffset(highWatermark).setLogStartOffset(partition.logStartOffset());
    }

    private static void setError(FetchResponseData.PartitionData data, ApiError error) {
        data.setErrorCode(error.error().code()).setHighWatermark(-1).setRecords(MemoryRecords.EMPTY);
    }

    private FetchResponseData.FetchableTopicResponse topicResponse(Map<String, FetchResponseData.FetchableTopicResponse> byTopic,
                                                                   FetchResponseData response, FetchTarget target) {
        boolean byId = version >= FetchTarget.FIRST_VERSION_WITH_TOPIC_IDS;
        String key = byId ? target.topicId().toString() : target.topicName();
        return byTopic.computeIfAbsent(key, k -> {
            FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
            if (byId) {
                topic.setTopicId(target.topicId() == null ? Uuid.ZERO_UUID : target.topicId());
            } else {
                topic.setTopic(target.topicName());
            }
            response.responses().add(topic);
            return topic;
        });
    }
}
