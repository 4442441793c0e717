package io.tributary.client.producer;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.ConfigReader;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The producer's settings, with Kafka's names and defaults. Parsed and validated once, in the
 * constructor: an unknown key or a bad value throws {@link ConfigException} naming the key.
 */
public record ProducerConfig(
        List<InetSocketAddress> bootstrapServers,
        String clientId,
        Acks acks,
        long lingerMs,
        int batchSize,
        long bufferMemory,
        String compressionType,
        int retries,
        long retryBackoffMs,
        int requestTimeoutMs,
        long deliveryTimeoutMs,
        int maxRequestSize,
        int maxInFlightRequestsPerConnection,
        long maxBlockMs,
        long metadataMaxAgeMs,
        int connectionSetupTimeoutMs) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String LINGER_MS = "linger.ms";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String RETRIES = "retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    /** How long send() may wait for buffer.memory to free up (Kafka's name and default). */
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";

    private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, ACKS, LINGER_MS, BATCH_SIZE, BUFFER_MEMORY,
            COMPRESSION_TYPE, RETRIES, RETRY_BACKOFF_MS, REQUEST_TIMEOUT_MS, DELIVERY_TIMEOUT_MS, MAX_REQUEST_SIZE,
            MAX_IN_FLIGHT, MAX_BLOCK_MS, METADATA_MAX_AGE_MS, CONNECTION_SETUP_TIMEOUT_MS);
    private static final Set<String> COMPRESSION_TYPES = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    public static ProducerConfig from(Properties properties) {
        return from(ConfigReader.toMap(properties));
    }

    public static ProducerConfig from(Map<String, ?> values) {
        ConfigReader r = new ConfigReader(values, KEYS);
        String acksValue = r.oneOf(ACKS, "all", Set.of("0", "1", "all", "-1"));
        int requestTimeoutMs = r.intAtLeast(REQUEST_TIMEOUT_MS, 30_000, 1);
        long lingerMs = r.longAtLeast(LINGER_MS, 5, 0);
        long deliveryTimeoutMs = r.longAtLeast(DELIVERY_TIMEOUT_MS, 120_000, 1);
        // Kafka's rule: a record must be allowed to wait linger.ms and one full request before it expires.
        if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS, deliveryTimeoutMs,
                    "must be at least linger.ms + request.timeout.ms = " + (lingerMs + requestTimeoutMs));
        }
        int batchSize = r.intAtLeast(BATCH_SIZE, 16_384, 0);
        long bufferMemory = r.longAtLeast(BUFFER_MEMORY, 33_554_432L, 1);
        int maxRequestSize = r.intAtLeast(MAX_REQUEST_SIZE, 1_048_576, 1);
        return new ProducerConfig(
                r.bootstrapServers(BOOTSTRAP_SERVERS),
                r.string(CLIENT_ID, "tributary-producer"),
                Acks.parse(acksValue),
                lingerMs,
                batchSize,
                bufferMemory,
                r.oneOf(COMPRESSION_TYPE, "none", COMPRESSION_TYPES),
                r.intAtLeast(RETRIES, Integer.MAX_VALUE, 0),
                r.longAtLeast(RETRY_BACKOFF_MS, 100, 0),
                requestTimeoutMs,
                deliveryTimeoutMs,
                maxRequestSize,
                r.intAtLeast(MAX_IN_FLIGHT, 5, 1),
                r.longAtLeast(MAX_BLOCK_MS, 60_000, 0),
                r.longAtLeast(METADATA_MAX_AGE_MS, 300_000, 0),
                r.intAtLeast(CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1));
    }

    /** The codec for {@code compression.type}, with each codec's default level. */
    public Compression compression() {
        return Compression.of(CompressionType.forName(compressionType)).build();
    }
}
