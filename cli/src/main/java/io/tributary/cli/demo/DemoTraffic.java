package io.tributary.cli.demo;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.serde.Serdes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The failover demo's load: one client-sdk producer (acks=all, idempotent) sending record n to
 * partition n % partitions at a steady rate, and one client-sdk consumer reading every partition from
 * where it ended before the first send. Each record's value is its sequence number, so the ledger can
 * tell what was lost. Per partition it remembers when the first record sent after a mark was
 * acknowledged: the moment writes to that partition worked again after a fault.
 */
public final class DemoTraffic implements AutoCloseable {
    private final String topic;
    private final int partitions;
    private final long intervalNanos;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final Producer<String, String> producer;
    private final Consumer<String, String> consumer;
    private final Thread producerThread;
    private final Thread consumerThread;
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    private volatile long markNanos = Long.MAX_VALUE;
    /** Per partition: nanoTime when the first record sent at or after the mark was acknowledged, 0 until then. */
    private final AtomicLongArray firstAckAfterMark;
    private final AtomicReference<Throwable> lastSendError = new AtomicReference<>();
    private final AtomicReference<Throwable> consumerError = new AtomicReference<>();
    private final AtomicLong lastAckNanos = new AtomicLong();

    public DemoTraffic(String bootstrap, String topic, int partitions, int recordsPerSecond) {
        this.topic = topic;
        this.partitions = partitions;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, recordsPerSecond);
        this.firstAckAfterMark = new AtomicLongArray(partitions);

        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("client.id", "failover-demo-producer");
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("linger.ms", "0");
        p.setProperty("retry.backoff.ms", "20");
        p.setProperty("request.timeout.ms", "5000");
        p.setProperty("delivery.timeout.ms", "120000");
        producer = new Producer<>(p, Serdes.string().serializer(), Serdes.string().serializer());

        Properties c = new Properties();
        c.setProperty("bootstrap.servers", bootstrap);
        c.setProperty("client.id", "failover-demo-consumer");
        c.setProperty("retry.backoff.ms", "20");
        c.setProperty("fetch.max.wait.ms", "100");
        consumer = new Consumer<>(c, Serdes.string().deserializer(), Serdes.string().deserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            assigned.add(new TopicPartition(topic, i));
        }
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        for (TopicPartition tp : assigned) {
            consumer.position(tp); // resolves the end offset now, before anything of this run is written
        }
        consumerThread = new Thread(this::consumeLoop, "failover-demo-consumer");
        producerThread = new Thread(this::produceLoop, "failover-demo-producer");
    }

    public void start() {
        consumerThread.start();
        producerThread.start();
    }

    /** From now on, remember per partition when the first record sent after this moment is acknowledged. */
    public void mark(long nanos) {
        for (int i = 0; i < partitions; i++) {
            firstAckAfterMark.set(i, 0);
        }
        markNanos = nanos;
    }

    /** nanoTime of the first acknowledgement of a record sent to {@code partition} after the mark, 0 if none yet. */
    public long firstAckAfterMark(int partition) {
        return firstAckAfterMark.get(partition);
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    public Throwable lastSendError() {
        return lastSendError.get();
    }

    public Throwable consumerError() {
        return consumerError.get();
    }

    /** Stops sending and waits until every sent record is acknowledged or failed (at most the delivery timeout). */
    public void stopProducing() throws InterruptedException {
        producing = false;
        producerThread.join();
        producer.flush();
    }

    /** Waits until the consumer has read every acknowledged record, at most {@code timeout}; true if it did. */
    public boolean awaitConsumed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ledger.allAckedConsumed()) {
            if (System.nanoTime() > deadline || !consumerThread.isAlive()) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private void produceLoop() {
        long next = System.nanoTime();
        while (producing) {
            long seq = ledger.nextSent();
            int partition = (int) (seq % partitions);
            long sentAt = System.nanoTime();
            try {
                producer.send(new ProducerRecord<>(topic, partition, null, Long.toString(seq))).whenComplete((metadata, error) -> {
                    if (error == null) {
                        ledger.acked(seq);
                        long now = System.nanoTime();
                        lastAckNanos.set(now);
                        if (sentAt >= markNanos) {
                            firstAckAfterMark.compareAndSet(partition, 0, now);
                        }
                    } else {
                        ledger.failed(seq);
                        lastSendError.set(error);
                    }
                });
            } catch (RuntimeException e) {
                ledger.failed(seq);
                lastSendError.set(e);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind (send blocked on memory): no burst to catch up
            }
        }
    }

    private void consumeLoop() {
        try {
            while (consuming) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        ledger.consumed(Long.parseLong(r.value()));
                    } catch (NumberFormatException e) {
                        ledger.consumed(-1); // a record some other client wrote to the demo topic
                    }
                }
            }
        } catch (RuntimeException e) {
            consumerError.set(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        producing = false;
        consuming = false;
        producerThread.join(5000);
        consumerThread.join(5000);
        producer.close(Duration.ofSeconds(5));
        consumer.close();
    }
}
