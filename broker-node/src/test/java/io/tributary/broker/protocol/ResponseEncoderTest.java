package io.tributary.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames with in-memory and file-backed record sets decode, byte for byte, with the official codec. */
class ResponseEncoderTest {

    @TempDir
    Path dir;

    @Test
    void fetchResponseMixingMemoryAndFileRecordsDecodes() throws Exception {
        MemoryRecords inMemory = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("in-memory".getBytes(StandardCharsets.UTF_8)));
        Path segment = dir.resolve("00000000000000000000.log");
        MemoryRecords onDisk = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("on-disk".getBytes(StandardCharsets.UTF_8)));
        Files.write(segment, toArray(onDisk.buffer()));
        try (FileRecords file = FileRecords.open(segment.toFile())) {
            FetchResponseData data = new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
                    .setTopic("t").setPartitions(List.of(
                            new FetchResponseData.PartitionData().setPartitionIndex(0).setRecords(inMemory),
                            new FetchResponseData.PartitionData().setPartitionIndex(1).setRecords(file),
                            new FetchResponseData.PartitionData().setPartitionIndex(2).setRecords(MemoryRecords.EMPTY)))));
            short version = 11;
            ResponseFrame frame = ResponseEncoder.encode(ApiKeys.FETCH, version, 42, data);

            ByteBuffer wire = ByteBuffer.allocate(frame.sizeInBytes());
            for (ResponseFrame.Part part : frame.parts()) {
                if (part instanceof ResponseFrame.FileRegion region) {
                    ByteBuffer bytes = ByteBuffer.allocate(region.records().sizeInBytes());
                    region.records().readInto(bytes, 0);
                    wire.put(bytes); // readInto leaves the buffer flipped for reading
                } else {
                    wire.put(((ResponseFrame.Bytes) part).buffer().duplicate());
                }
            }
            wire.flip();
            assertEquals(frame.sizeInBytes() - 4, wire.getInt());
            assertEquals(42, ResponseHeader.parse(wire, ApiKeys.FETCH.responseHeaderVersion(version)).correlationId());
            FetchResponseData decoded = new FetchResponseData(new ByteBufferAccessor(wire), version);
            List<String> values = new ArrayList<>();
            for (FetchResponseData.PartitionData partition : decoded.responses().get(0).partitions()) {
                for (RecordBatch batch : FetchResponse.recordsOrFail(partition).batches()) {
                    for (Record record : batch) {
                        values.add(partition.partitionIndex() + ":" + StandardCharsets.UTF_8.decode(record.value()));
                    }
                }
            }
            assertEquals(List.of("0:in-memory", "1:on-disk"), values);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
