package io.tributary.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.log.LoadProgress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The readiness state machine on its own: each start-up step, in order, and shutting down. */
class ReadinessTest {

    @Test
    void readyOnlyOnceEveryStepIsDoneAndNotAfterShutdownBegins() {
        Readiness readiness = new Readiness();
        assertEquals(List.of("zookeeper: not connected", "loading logs: not started", "kafka listener: not bound",
                "zookeeper registration: not registered yet"), readiness.status().reasons());

        readiness.zookeeperConnected(true);
        AtomicReference<LoadProgress> progress = new AtomicReference<>(new LoadProgress(0, 40, false));
        readiness.logsFrom(progress::get);
        assertEquals("loading logs: 0 of 40 partitions", readiness.status().reasons().get(0));
        progress.set(new LoadProgress(12, 40, false));
        assertEquals("loading logs: 12 of 40 partitions", readiness.status().reasons().get(0));
        assertEquals("DOWN", readiness.status().checks().get("logs"));
        progress.set(new LoadProgress(40, 40, true));
        assertEquals("UP", readiness.status().checks().get("logs"));

        readiness.listenerBound(9092);
        assertEquals(List.of("zookeeper registration: not registered yet"), readiness.status().reasons());
        readiness.registered();
        assertTrue(readiness.status().ready());
        assertTrue(readiness.status().reasons().isEmpty());

        readiness.zookeeperConnected(false);
        assertEquals(List.of("zookeeper: not connected"), readiness.status().reasons());
        readiness.zookeeperConnected(true);
        readiness.shuttingDown();
        assertFalse(readiness.status().ready());
        assertEquals(List.of("shutting down"), readiness.status().reasons());
    }
}
