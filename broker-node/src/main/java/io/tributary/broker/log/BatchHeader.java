package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The fixed 61-byte header of a v2 record batch as stored in a segment, read with one positional read, so
 * the log can walk batches without loading their records. Layout (Kafka's DefaultRecordBatch): baseOffset
 * int64 @0, length int32 @8 (bytes after this field), partitionLeaderEpoch @12, magic @16, crc @17,
 * attributes @21, lastOffsetDelta @23, baseTimestamp @27, maxTimestamp @35, ... records count @57.
 */
record BatchHeader(long baseOffset, int sizeInBytes, byte magic, int lastOffsetDelta, long maxTimestamp) {

    /** v2 header size, DefaultRecordBatch.RECORD_BATCH_OVERHEAD. */
    static final int SIZE = 61;
    /** baseOffset + length: the bytes not counted by the length field. */
    static final int LOG_OVERHEAD = 12;

    long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    long nextOffset() {
        return lastOffset() + 1;
    }

    /** A buffer for {@link #read}; one per caller, since reads may run on many threads. */
    static ByteBuffer newBuffer() {
        return ByteBuffer.allocate(SIZE);
    }

    /**
     * Reads the header at {@code position}, or returns null when fewer than {@link #SIZE} bytes lie before
     * {@code limit} or the length field is impossible (a torn or corrupt tail).
     */
    static BatchHeader read(FileChannel channel, int position, int limit, ByteBuffer buf) throws IOException {
        if (limit - position < SIZE) {
            return null;
        }
        buf.clear();
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                return null;
            }
        }
        int length = buf.getInt(8);
        if (length < SIZE - LOG_OVERHEAD) {
            return null;
        }
        return new BatchHeader(buf.getLong(0), length + LOG_OVERHEAD, buf.get(16), buf.getInt(23), buf.getLong(35));
    }
}
