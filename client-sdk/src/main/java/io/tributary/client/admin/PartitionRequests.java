package io.tributary.client.admin;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TopicPartition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** Builds CreatePartitions and DeleteRecords requests and reads their answers. */
final class PartitionRequests {

    private PartitionRequests() {
    }

    static CreatePartitionsRequestData createPartitions(String topic, int totalCount, int timeoutMs) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(timeoutMs).setValidateOnly(false);
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(topic).setCount(totalCount)
                .setAssignments(null));
        return request;
    }

    static void checkCreatePartitions(String topic, CreatePartitionsResponseData response) {
        for (CreatePartitionsResponseData.CreatePartitionsTopicResult result : response.results()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error != Errors.NONE) {
                throw new ApiException(error, "Cannot add partitions to topic '" + topic + "': "
                        + (result.errorMessage() != null ? result.errorMessage() : error.message()));
            }
        }
    }

    static DeleteRecordsRequestData deleteRecords(Map<TopicPartition, Long> beforeOffsets, int timeoutMs) {
        Map<String, DeleteRecordsRequestData.DeleteRecordsTopic> topics = new LinkedHashMap<>();
        beforeOffsets.forEach((tp, offset) -> topics.computeIfAbsent(tp.topic(),
                        t -> new DeleteRecordsRequestData.DeleteRecordsTopic().setName(t)).partitions()
                .add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(tp.partition()).setOffset(offset)));
        return new DeleteRecordsRequestData().setTimeoutMs(timeoutMs).setTopics(List.copyOf(topics.values()));
    }

    /** The new log start offset per partition; throws the first error (retriable ones make the caller retry). */
    static Map<TopicPartition, Long> parseDeleteRecords(DeleteRecordsResponseData response) {
        Map<TopicPartition, Long> lowWatermarks = new LinkedHashMap<>();
        for (DeleteRecordsResponseData.DeleteRecordsTopicResult topic : response.topics()) {
            for (DeleteRecordsResponseData.DeleteRecordsPartitionResult p : topic.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (error != Errors.NONE) {
                    throw new ApiException(error, "Cannot delete records of " + tp + ": " + error.message());
                }
                lowWatermarks.put(tp, p.lowWatermark());
            }
        }
        return lowWatermarks;
    }
}
