package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds ListOffsets and DescribeLogDirs requests for the admin client and reads their answers. */
final class OffsetAndLogDirRequests {

    private OffsetAndLogDirRequests() {
    }

    /** One ListOffsets request as an ordinary client (replica id -1) for these partitions. */
    static ListOffsetsRequestData listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        Map<String, ListOffsetsRequestData.ListOffsetsTopic> topics = new LinkedHashMap<>();
        specs.forEach((tp, spec) -> topics.computeIfAbsent(tp.topic(),
                        t -> new ListOffsetsRequestData.ListOffsetsTopic().setName(t)).partitions()
                .add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(tp.partition())
                        .setTimestamp(spec.timestamp())));
        return new ListOffsetsRequestData().setReplicaId(-1).setTopics(new ArrayList<>(topics.values()));
    }

    /** The offsets and the per-partition errors of a ListOffsets answer; a partition it does not mention is an error. */
    record OffsetResults(Map<TopicPartition, Long> offsets, Map<TopicPartition, Errors> errors) {
    }

    static OffsetResults parseListOffsets(Iterable<TopicPartition> asked, ListOffsetsResponseData response) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<TopicPartition, Errors> errors = new HashMap<>();
        for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : response.topics()) {
            for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.NONE) {
                    offsets.put(tp, p.offset());
                } else {
                    errors.put(tp, error);
                }
            }
        }
        for (TopicPartition tp : asked) {
            if (!offsets.containsKey(tp) && !errors.containsKey(tp)) {
                errors.put(tp, Errors.UNKNOWN_SERVER_ERROR);
            }
        }
        return new OffsetResults(offsets, errors);
    }

    /** DescribeLogDirs for every topic (null topics, as kafka-log-dirs without --topic-list). */
    static DescribeLogDirsRequestData describeLogDirs() {
        return new DescribeLogDirsRequestData().setTopics(null);
    }

    static List<LogDirDescription> parseDescribeLogDirs(DescribeLogDirsResponseData response) {
        List<LogDirDescription> dirs = new ArrayList<>();
        for (DescribeLogDirsResponseData.DescribeLogDirsResult result : response.results()) {
            Map<TopicPartition, Long> sizes = new LinkedHashMap<>();
            for (DescribeLogDirsResponseData.DescribeLogDirsTopic topic : result.topics()) {
                for (DescribeLogDirsResponseData.DescribeLogDirsPartition p : topic.partitions()) {
                    if (!p.isFutureKey()) {
                        sizes.put(new TopicPartition(topic.name(), p.partitionIndex()), p.partitionSize());
                    }
                }
            }
            dirs.add(new LogDirDescription(result.logDir(), Errors.forCode(result.errorCode()).name(), sizes));
        }
        return dirs;
    }
}
