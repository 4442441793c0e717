package io.tributary.client.producer;

import io.tributary.client.common.ConfigException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

import java.nio.ByteBuffer;

/**
 * Compresses one tiny record with the configured codec when the producer starts. snappy, lz4 and zstd
 * need their libraries (zstd and snappy load native code); finding out at construction, with the key
 * named, beats every send() failing later.
 */
final class CompressionProbe {
    private CompressionProbe() {
    }

    static void check(ProducerConfig config) {
        try (MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(256), RecordBatch.CURRENT_MAGIC_VALUE,
                config.compression(), TimestampType.CREATE_TIME, 0L)) {
            builder.append(0L, null, new byte[]{1});
            builder.build();
        } catch (RuntimeException | LinkageError e) {
            throw new ConfigException(ProducerConfig.COMPRESSION_TYPE, config.compressionType(),
                    "the codec is not usable in this JVM: " + e);
        }
    }
}
