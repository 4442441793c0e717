package io.tributary.systemtests;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Sends the numbered records of one {@link AckLedger} (0, 1, 2, ...) through one official producer from a
 * background thread while a test breaks the cluster: at most {@code ratePerSecond}, at most
 * {@code maxUnacknowledged} sent but not yet answered (so a stalled cluster stalls the writer instead of piling
 * records into memory), until {@link #stop} or until the ledger is full. Every send ends in the ledger, as an
 * acknowledgement or a failure.
 */
final class ContinuousWriter implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AckLedger ledger;
    private final long baseTimestamp;
    private final int valueBytes;
    private final int ratePerSecond;
    private final Semaphore unanswered;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile int sent;
    private volatile Throwable crash;

    ContinuousWriter(KafkaProducer<String, String> producer, String topic, AckLedger ledger, long baseTimestamp,
                     int valueBytes, int ratePerSecond, int maxUnacknowledged) {
        this.producer = producer;
        this.topic = topic;
        this.ledger = ledger;
        this.baseTimestamp = baseTimestamp;
        this.valueBytes = valueBytes;
        this.ratePerSecond = ratePerSecond;
        this.unanswered = new Semaphore(maxUnacknowledged);
        this.thread = new Thread(this::run, "writer-" + ledger.source());
        this.thread.setDaemon(true);
    }

    ContinuousWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            long interval = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            for (int i = 0; i < ledger.size() && !stopping; i++) {
                // Pace at the rate; after a stall catch up by at most 100 ms worth of records, not in one burst.
                long now = System.nanoTime();
                if (next - now > 1_000_000) {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                }
                next = Math.max(next, now - 100_000_000L) + interval;
                while (!unanswered.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stopping) {
                        return;
                    }
                }
                send(i);
                sent = i + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            crash = t;
        }
    }

    private void send(int index) {
        NumberedRecord r = NumberedRecord.of(ledger.source(), index, baseTimestamp, valueBytes);
        java.util.List<org.apache.kafka.common.header.Header> headers = new java.util.ArrayList<>();
        r.headers().forEach(h -> headers.add(new org.apache.kafka.common.header.internals.RecordHeader(h.key(), h.value())));
        try {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), headers),
                    (metadata, error) -> {
                        if (error != null) {
                            ledger.fail(index, error.toString());
                        } else {
                            ledger.acked(index, metadata.partition(), metadata.offset());
                        }
                        unanswered.release();
                    });
        } catch (RuntimeException e) {
            ledger.fail(index, "send() threw " + e);
            unanswered.release();
        }
    }

    /** Records handed to the producer so far: indexes 0..sent-1. */
    int sent() {
        return sent;
    }

    /** Waits (bounded) until at least {@code count} records are acknowledged; fails naming the progress otherwise. */
    void awaitAcknowledged(int count, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (ledger.ackedCount() < count) {
            if (crash != null) {
                throw new AssertionError("the writer of " + ledger.source() + " crashed", crash);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + ledger.ackedCount() + " of " + count + " records of " + ledger.source()
                        + " acknowledged within " + atMost + "; " + sent + " sent; " + ledger.problems(sent));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Stops sending, waits for every record sent to be answered (flush; the producer's delivery.timeout.ms bounds
     * it) and closes the producer. Returns how many records were sent.
     */
    int stop() {
        stopping = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the writer of " + ledger.source() + " did not stop");
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        if (crash != null) {
            throw new AssertionError("the writer of " + ledger.source() + " crashed", crash);
        }
        return sent;
    }

    @Override
    public void close() {
        if (!stopping) {
            stopping = true;
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }
}
