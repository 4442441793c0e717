package io.tributary.broker.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;

/** Turns response data into a size-prefixed frame with the generated codec; file records stay zero-copy. */
public final class ResponseEncoder {

    private ResponseEncoder() {
    }

    public static ResponseFrame encode(ApiKeys api, short apiVersion, int correlationId, ApiMessage response) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        // ApiVersions always answers with header v0, whatever the request's version (KIP-511).
        short headerVersion = api == ApiKeys.API_VERSIONS ? 0 : api.responseHeaderVersion(apiVersion);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        response.addSize(size, cache, apiVersion);

        ByteBuffer inMemory = ByteBuffer.allocate(4 + size.sizeExcludingZeroCopy());
        inMemory.putInt(size.totalSize());
        FrameWriter writer = new FrameWriter(inMemory);
        header.write(writer, cache, headerVersion);
        response.write(writer, cache, apiVersion);
        return new ResponseFrame(writer.finish(), 4 + size.totalSize());
    }

    /** Writes primitives into one buffer and cuts it wherever a file-backed record set must go in between. */
    private static final class FrameWriter extends ByteBufferAccessor {
        private final ByteBuffer buffer;
        private final List<ResponseFrame.Part> parts = new ArrayList<>();
        private int partStart = 0;

        FrameWriter(ByteBuffer buffer) {
            super(buffer);
            this.buffer = buffer;
        }

        @Override
        public void writeRecords(BaseRecords records) {
            // The generated size counts every record set as zero-copy bytes, so the in-memory buffer has no
            // room for records: they always become a part of their own.
            if (records instanceof MemoryRecords memory) {
                cutBytes();
                if (memory.sizeInBytes() > 0) {
                    parts.add(new ResponseFrame.Bytes(memory.buffer()));
                }
            } else if (records instanceof FileRecords file) {
                cutBytes();
                if (file.sizeInBytes() > 0) {
                    parts.add(new ResponseFrame.FileRegion(file));
                }
            } else {
                throw new IllegalArgumentException("cannot encode records of type " + records.getClass().getName());
            }
        }

        private void cutBytes() {
            int end = buffer.position();
            if (end > partStart) {
                parts.add(new ResponseFrame.Bytes(buffer.duplicate().position(partStart).limit(end).slice()));
            }
            partStart = end;
        }

        List<ResponseFrame.Part> finish() {
            cutBytes();
            if (buffer.hasRemaining()) {
                throw new IllegalStateException("response encoded to fewer bytes than its computed size: "
                        + buffer.remaining() + " left");
            }
            return List.copyOf(parts);
        }
    }
}
