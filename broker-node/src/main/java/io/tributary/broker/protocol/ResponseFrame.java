package io.tributary.broker.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.FileRecords;

/**
 * An encoded response, size prefix included, as a sequence of parts to write in order: bytes built in
 * memory, and record sets that stay in their segment files so they go to the socket without a copy.
 */
public record ResponseFrame(List<Part> parts, int sizeInBytes) {

    public sealed interface Part permits Bytes, FileRegion {}

    public record Bytes(ByteBuffer buffer) implements Part {}

    public record FileRegion(FileRecords records) implements Part {}
}
