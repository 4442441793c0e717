package io.tributary.broker.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.FileRecords;

/**
 * A slice of a segment file handed to Netty as a {@link FileRegion}, so fetched records go from the page
 * cache to the socket with sendfile, never through the heap. The log owns the file channel: releasing
 * the region must not close it, which is why Netty's DefaultFileRegion does not fit.
 */
final class FileRecordsRegion extends AbstractReferenceCounted implements FileRegion {

    private final FileRecords records;
    private long transferred;

    FileRecordsRegion(FileRecords records) {
        this.records = records;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long count() {
        return records.sizeInBytes();
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long remaining = count() - position;
        if (remaining <= 0) {
            return 0;
        }
        long written = records.writeTo(new Target(target), (int) position, (int) remaining);
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // Nothing to free: the segment's channel belongs to the partition log.
    }

    /** Adapts Netty's target channel to what FileRecords.writeTo expects. */
    private record Target(WritableByteChannel channel) implements TransferableChannel {
        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            return fileChannel.transferTo(position, count, channel);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += channel.write(srcs[i]);
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
