package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Client and peer connections on the Kafka listener (Kafka's {@code socket-server-metrics}). */
public final class ConnectionMetrics {

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder created = new LongAdder();
    private final LongAdder closed = new LongAdder();

    ConnectionMetrics(MeterRegistry registry) {
        if (registry != null) {
            Gauge.builder("kafka.server.socketservermetrics.connection.count", open, AtomicInteger::get)
                    .description("Open connections on the Kafka listener").register(registry);
            FunctionCounter.builder("kafka.server.socketservermetrics.connection.creation", created, LongAdder::doubleValue)
                    .description("Connections accepted").register(registry);
            FunctionCounter.builder("kafka.server.socketservermetrics.connection.close", closed, LongAdder::doubleValue)
                    .description("Connections closed").register(registry);
        }
    }

    public static ConnectionMetrics disabled() {
        return new ConnectionMetrics(null);
    }

    /** Per connection, not per request: counted whether or not metrics are on. */
    public void opened() {
        open.incrementAndGet();
        created.increment();
    }

    public void closed() {
        open.decrementAndGet();
        closed.increment();
    }
}
