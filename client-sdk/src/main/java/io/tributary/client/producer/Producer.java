package io.tributary.client.producer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TimeoutException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.PartitionMetadata;
import io.tributary.client.network.TopicMetadata;
import io.tributary.client.serde.Serializer;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends records to a Tributary (or any Kafka-protocol) cluster. Thread-safe: share one producer.
 *
 * <p>{@code send} serializes the record, picks its partition and appends it to that partition's
 * batch, and returns; a background sender thread ships batches when full or after linger.ms, one
 * Produce request per broker carrying all its ready partitions. {@code send} never waits for the
 * network: if the topic's metadata is not known yet, the record waits in a queue the sender drains
 * once the metadata arrives. It blocks only when buffer.memory is exhausted (back-pressure, at most
 * max.block.ms). {@code send(record).get()} is the synchronous form.
 *
 * <p>Futures complete on an internal I/O thread: callbacks attached to them must not block.
 *
 * <p>Idempotence (enable.idempotence, on by default as in Kafka 3.0+, KIP-98): the producer gets a
 * producer id from the cluster before its first batch and stamps each batch with it and a per-partition
 * sequence number, so a batch retried after a lost acknowledgement (a dropped connection, a timeout, a
 * leader change) is recognised by the broker and stored once, and records to one partition keep their
 * order across retries. Without it, as in Kafka, a retry can store a batch twice and, with
 * max.in.flight.requests.per.connection &gt; 1, reorder batches; set it to 1 for strict order then.
 */
public final class Producer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Producer.class);
    private static final Set<Errors> WAIT_FOR_TOPIC = Set.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.LEADER_NOT_AVAILABLE);

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final ConnectionPool pool;
    private final MetadataCache metadata;
    private final RecordAccumulator accumulator;
    private final MetadataWaitQueue waiting = new MetadataWaitQueue();
    private final MemoryBudget memory;
    private final Partitioner partitioner = new Partitioner();
    private final Sender sender;
    private final Thread senderThread;
    private volatile boolean closed;

    public Producer(Properties config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerConfig.from(config), keySerializer, valueSerializer);
    }

    public Producer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this.config = config;
        CompressionProbe.check(config);
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        this.pool = new ConnectionPool(config.clientId(), config.connectionSetupTimeoutMs(), config.requestTimeoutMs(),
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs());
        this.metadata = new MetadataCache(pool, config.bootstrapServers(), config.metadataMaxAgeMs(), config.retryBackoffMs(), true);
        ProducerIdentity identity = null;
        PartitionSequences sequences = null;
        RecordAccumulator.DrainGate gate = RecordAccumulator.DrainGate.OPEN;
        if (config.enableIdempotence()) {
            identity = new ProducerIdentity(config.clientId(), config.retryBackoffMs(), config.requestTimeoutMs(),
                    this::wakeSender);
            sequences = new PartitionSequences(config.clientId(), identity, config.maxInFlightRequestsPerConnection());
            gate = sequences;
        }
        this.accumulator = new RecordAccumulator(config.batchSize(), config.compression(), config.lingerMs(), gate);
        this.memory = new MemoryBudget(config.bufferMemory());
        this.sender = new Sender(config, pool, metadata, accumulator, waiting, memory, this::route, identity, sequences);
        this.metadata.addListener(accumulator::wakeup);
        this.senderThread = new Thread(sender, "tributary-producer-" + config.clientId() + "-sender");
        this.senderThread.setDaemon(true);
        this.senderThread.start();
    }

    /** A new producer id lets batches go: wake the sender (the accumulator holds its signal). */
    private void wakeSender() {
        accumulator.wakeup();
    }

    /**
     * Queues a record for sending. The future completes with the record's partition and offset once the
     * broker acknowledges it (per acks), or fails with an {@link ApiException} (non-retriable broker
     * error, or the last retriable one after delivery.timeout.ms) or a {@link TimeoutException}.
     *
     * @throws io.tributary.client.serde.SerializationException if the key or value cannot be serialized
     * @throws IllegalStateException after close()
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw new IllegalStateException("Cannot send to topic " + record.topic() + " after the producer is closed");
        }
        byte[] key = keySerializer.serialize(record.topic(), record.key());
        byte[] value = valueSerializer.serialize(record.topic(), record.value());
        Header[] headers = record.headers().stream()
                .map(h -> (Header) new RecordHeader(h.key(), h.value()))
                .toArray(Header[]::new);
        long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                config.compression().type(), key, value, headers);
        if (size > config.maxRequestSize()) {
            future.completeExceptionally(new ApiException(Errors.MESSAGE_TOO_LARGE, "The record for topic " + record.topic()
                    + " is " + size + " bytes when serialized, more than max.request.size=" + config.maxRequestSize()));
            return future.copy();
        }
        try {
            memory.reserve(size, config.maxBlockMs(), record.topic());
        } catch (TributaryException e) {
            future.completeExceptionally(e);
            return future.copy();
        }
        metadata.addTopics(List.of(record.topic()));
        WaitingRecord w = new WaitingRecord(record.topic(), record.partition(), timestamp, key, value, headers, future, size,
                MonotonicClock.nowMs());
        MetadataWaitQueue.Routing routing = waiting.isEmpty() ? route(w) : MetadataWaitQueue.Routing.WAIT;
        if (routing instanceof MetadataWaitQueue.Routing.Wait) {
            routing = waiting.routeOrWait(w, this::route);
        }
        if (routing instanceof MetadataWaitQueue.Routing.Failed f) {
            memory.release(size);
            future.completeExceptionally(f.error());
        } else if (routing instanceof MetadataWaitQueue.Routing.Wait) {
            accumulator.wakeup(); // the sender fetches the topic's metadata
        }
        // A copy, so a caller completing the returned future cannot fake an acknowledgement.
        return future.copy();
    }

    /**
     * Picks the partition with the current metadata and appends to the accumulator, or says to wait for
     * metadata. Runs on the caller's thread or the sender's.
     */
    private MetadataWaitQueue.Routing route(WaitingRecord w) {
        TopicMetadata topic = metadata.snapshot().topic(w.topic()).orElse(null);
        if (topic == null || topic.partitionCount() == 0) {
            if (topic != null && !WAIT_FOR_TOPIC.contains(topic.error()) && topic.error() != Errors.NONE
                    && !(topic.error().exception() instanceof RetriableException)) {
                return new MetadataWaitQueue.Routing.Failed(new ApiException(topic.error(), "Cannot send to topic " + w.topic()));
            }
            return MetadataWaitQueue.Routing.WAIT;
        }
        int count = topic.partitionCount();
        int partition;
        if (w.partition() != null) {
            if (w.partition() >= count) {
                return new MetadataWaitQueue.Routing.Failed(new TributaryException("Invalid partition " + w.partition()
                        + " for topic " + w.topic() + ": it has partitions 0.." + (count - 1)));
            }
            partition = w.partition();
        } else {
            List<Integer> available = new ArrayList<>();
            for (PartitionMetadata p : topic.partitions()) {
                if (p.hasLeader()) {
                    available.add(p.topicPartition().partition());
                }
            }
            partition = partitioner.partition(w.topic(), w.key(), count, available);
        }
        try {
            accumulator.append(new TopicPartition(w.topic(), partition), w.timestamp(), w.key(), w.value(), w.headers(),
                    w.future(), w.reservedBytes(), w.createdMs());
        } catch (RuntimeException e) {
            // E.g. a codec whose native library cannot load: fail this record, not the sender thread.
            return new MetadataWaitQueue.Routing.Failed(new TributaryException("Cannot add a record for " + w.topic() + "-"
                    + partition + " to a batch: " + e, e));
        }
        return MetadataWaitQueue.Routing.APPENDED;
    }

    /**
     * Sends every record queued so far at once (ignoring linger.ms) and blocks until each has completed,
     * successfully or not.
     */
    public void flush() {
        accumulator.beginFlush();
        try {
            List<CompletableFuture<?>> pending = new ArrayList<>(waiting.futures());
            pending.addAll(accumulator.incompleteBatches());
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
            // Records that were waiting for metadata joined batches meanwhile; wait for those too.
            CompletableFuture.allOf(accumulator.incompleteBatches().toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        } finally {
            accumulator.endFlush();
        }
    }

    /**
     * The topic's partitions, fetching its metadata if needed (blocks up to max.block.ms).
     *
     * @throws TimeoutException if the topic does not appear in time
     * @throws ApiException for a non-retriable topic error
     */
    public List<PartitionInfo> partitionsFor(String topic) {
        Objects.requireNonNull(topic, "topic");
        metadata.addTopics(List.of(topic));
        long deadline = MonotonicClock.nowMs() + config.maxBlockMs();
        ClusterSnapshot cluster = metadata.snapshot();
        while (true) {
            TopicMetadata t = cluster.topic(topic).orElse(null);
            if (t != null && t.partitionCount() > 0) {
                return cluster.partitionInfos(topic);
            }
            if (t != null && !WAIT_FOR_TOPIC.contains(t.error()) && t.error() != Errors.NONE
                    && !(t.error().exception() instanceof RetriableException)) {
                throw new ApiException(t.error(), "Cannot get partitions of topic " + topic);
            }
            if (MonotonicClock.nowMs() >= deadline) {
                throw new TimeoutException("Topic " + topic + " not present in metadata after max.block.ms=" + config.maxBlockMs());
            }
            metadata.requestUpdate();
            cluster = metadata.awaitRefresh(deadline);
        }
    }

    /** Sends everything queued, waits for it, and releases the connections. */
    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /**
     * Like {@link #close()}, but stops waiting after {@code timeout}; records not acknowledged by then
     * fail. {@code Duration.ZERO} fails them at once.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        sender.initiateClose();
        try {
            if (!timeout.isZero()) {
                senderThread.join(Math.max(1, timeout.toMillis()));
            }
            if (senderThread.isAlive()) {
                log.warn("Producer {} closing with unsent records after {}; failing them", config.clientId(), timeout);
                sender.forceClose();
                accumulator.wakeup();
                senderThread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.forceClose();
            accumulator.wakeup();
        } finally {
            pool.close();
        }
    }
}
