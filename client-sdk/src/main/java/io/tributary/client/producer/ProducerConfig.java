package io.tributary.client.producer;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.ConfigReader;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The producer's settings, with Kafka's names and defaults. Parsed and validated once, in the
 * constructor: an unknown key or a bad value throws {@link ConfigException} naming the key.
 *
 * <p>{@code enable.idempotence} is on by default, as in Kafka 3.0+, and needs acks=all, retries &gt; 0 and
 * max.in.flight.requests.per.connection &lt;= 5 (the broker remembers a producer's last five batches per
 * partition). As in Kafka 3.2+ (KAFKA-13673): when the user sets one of those to a conflicting value
 * without setting enable.idempotence, idempotence is switched off; when they set enable.idempotence=true
 * explicitly, a conflict is a {@link ConfigException} naming both keys.
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
        int connectionSetupTimeoutMs,
        boolean enableIdempotence,
        long reconnectBackoffMs,
        long reconnectBackoffMaxMs) {

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
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    /** Wait before reconnecting to a broker whose connection failed, doubling per failure up to the max (KIP-144). */
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    /** The broker keeps the last five batches of each producer per partition; more in flight could not be deduplicated. */
    public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    private static final Logger log = LoggerFactory.getLogger(ProducerConfig.class);
    private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, ACKS, LINGER_MS, BATCH_SIZE, BUFFER_MEMORY,
            COMPRESSION_TYPE, RETRIES, RETRY_BACKOFF_MS, REQUEST_TIMEOUT_MS, DELIVERY_TIMEOUT_MS, MAX_REQUEST_SIZE,
            MAX_IN_FLIGHT, MAX_BLOCK_MS, METADATA_MAX_AGE_MS, CONNECTION_SETUP_TIMEOUT_MS, ENABLE_IDEMPOTENCE,
            RECONNECT_BACKOFF_MS, RECONNECT_BACKOFF_MAX_MS);
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
        Acks acks = Acks.parse(acksValue);
        int retries = r.intAtLeast(RETRIES, Integer.MAX_VALUE, 0);
        int maxInFlight = r.intAtLeast(MAX_IN_FLIGHT, 5, 1);
        String clientId = r.string(CLIENT_ID, "tributary-producer");
        boolean idempotence = idempotence(r, acks, acksValue, retries, maxInFlight, clientId);
        return new ProducerConfig(
                r.bootstrapServers(BOOTSTRAP_SERVERS),
                clientId,
                acks,
                lingerMs,
                batchSize,
                bufferMemory,
                r.oneOf(COMPRESSION_TYPE, "none", COMPRESSION_TYPES),
                retries,
                r.longAtLeast(RETRY_BACKOFF_MS, 100, 0),
                requestTimeoutMs,
                deliveryTimeoutMs,
                maxRequestSize,
                maxInFlight,
                r.longAtLeast(MAX_BLOCK_MS, 60_000, 0),
                r.longAtLeast(METADATA_MAX_AGE_MS, 300_000, 0),
                r.intAtLeast(CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1),
                idempotence,
                r.longAtLeast(RECONNECT_BACKOFF_MS, 50, 0),
                r.longAtLeast(RECONNECT_BACKOFF_MAX_MS, 1_000, 0));
    }

    /** Resolves enable.idempotence against the settings it depends on; see the class comment. */
    private static boolean idempotence(ConfigReader r, Acks acks, String acksValue, int retries, int maxInFlight, String clientId) {
        boolean requested = r.bool(ENABLE_IDEMPOTENCE, true);
        if (!requested) {
            return false;
        }
        if (!r.isSet(ENABLE_IDEMPOTENCE)) {
            if (acks != Acks.ALL || retries == 0 || maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
                log.info("Producer {}: idempotence is off because acks={}, retries={}, max.in.flight.requests.per.connection={}"
                        + " were set (it needs acks=all, retries > 0 and at most 5 in flight)", clientId, acksValue, retries, maxInFlight);
                return false;
            }
            return true;
        }
        if (acks != Acks.ALL) {
            throw new ConfigException(ACKS, acksValue, "must be all (or -1) when " + ENABLE_IDEMPOTENCE
                    + "=true: a retried batch is deduplicated only if every replica has it; set " + ENABLE_IDEMPOTENCE
                    + "=false to use acks=" + acksValue);
        }
        if (retries == 0) {
            throw new ConfigException(RETRIES, retries, "must be greater than 0 when " + ENABLE_IDEMPOTENCE
                    + "=true; set " + ENABLE_IDEMPOTENCE + "=false to disable retries");
        }
        if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
            throw new ConfigException(MAX_IN_FLIGHT, maxInFlight, "must be at most " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE + " when "
                    + ENABLE_IDEMPOTENCE + "=true: brokers remember a producer's last five batches per partition; set "
                    + ENABLE_IDEMPOTENCE + "=false to allow more");
        }
        return true;
    }

    /** The codec for {@code compression.type}, with each codec's default level. */
    public Compression compression() {
        return Compression.of(CompressionType.forName(compressionType)).build();
    }
}
