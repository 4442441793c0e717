package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-topic traffic, Kafka's {@code kafka.server:type=BrokerTopicMetrics}: messages and bytes in (client produce,
 * on the leader), bytes out (consumer fetches), and replication bytes in and out. The hot path only adds to
 * {@link LongAdder}s found in a map computed once per topic: no lock and no allocation per request or record.
 * The counters are Micrometer {@link FunctionCounter}s reading those adders at scrape time.
 *
 * <p>With metrics off ({@link #disabled()}) every record method returns at once: no map lookup, no adder.
 */
public final class TopicTraffic {

    private static final String PREFIX = "kafka.server.brokertopicmetrics.";

    private final MeterRegistry registry;
    private final Map<String, Counters> byTopic = new ConcurrentHashMap<>();

    private TopicTraffic(MeterRegistry registry) {
        this.registry = registry;
    }

    static TopicTraffic enabled(MeterRegistry registry) {
        return new TopicTraffic(registry);
    }

    /** Records nothing: the broker runs with {@code metrics.listener=none}. */
    public static TopicTraffic disabled() {
        return new TopicTraffic(null);
    }

    public boolean isEnabled() {
        return registry != null;
    }

    /** A client's produce appended on the leader: {@code messages} records, {@code bytes} bytes. */
    public void produced(String topic, long messages, long bytes) {
        if (registry == null) {
            return;
        }
        Counters c = counters(topic);
        c.messagesIn.add(messages);
        c.bytesIn.add(bytes);
    }

    /** Record bytes a fetch returned: a consumer's, or a follower's ({@code replication}). */
    public void fetched(String topic, long bytes, boolean replication) {
        if (registry == null || bytes == 0) {
            return;
        }
        (replication ? counters(topic).replicationBytesOut : counters(topic).bytesOut).add(bytes);
    }

    /** Record bytes this broker, as a follower, appended from its leader. */
    public void replicated(String topic, long bytes) {
        if (registry == null) {
            return;
        }
        counters(topic).replicationBytesIn.add(bytes);
    }

    private Counters counters(String topic) {
        Counters c = byTopic.get(topic);
        return c != null ? c : byTopic.computeIfAbsent(topic, this::register);
    }

    private Counters register(String topic) {
        Counters c = new Counters();
        Tags tags = Tags.of("topic", topic);
        c.meters.add(counter("messagesin", "Records appended by client produce requests on the leader", tags, c.messagesIn));
        c.meters.add(counter("bytesin", "Bytes appended by client produce requests on the leader", tags, c.bytesIn));
        c.meters.add(counter("bytesout", "Record bytes returned to consumer fetches", tags, c.bytesOut));
        c.meters.add(counter("replicationbytesin", "Record bytes a follower appended from its leader", tags, c.replicationBytesIn));
        c.meters.add(counter("replicationbytesout", "Record bytes returned to followers' fetches", tags, c.replicationBytesOut));
        return c;
    }

    private Meter counter(String name, String help, Tags tags, LongAdder adder) {
        return FunctionCounter.builder(PREFIX + name, adder, LongAdder::doubleValue).description(help).tags(tags).register(registry);
    }

    /**
     * Removes the counters of topics that no longer exist (called at scrape time with the topics the metadata
     * knows), so a deleted topic's series ends instead of staying flat forever.
     */
    void retainTopics(Set<String> existing) {
        if (registry == null) {
            return;
        }
        for (Map.Entry<String, Counters> entry : new ArrayList<>(byTopic.entrySet())) {
            if (!existing.contains(entry.getKey())) {
                // Registry first: were the map entry gone first, a produce in between would register new counters
                // that clash with the old ones still in the registry, and the old ones would then be removed.
                entry.getValue().meters.forEach(registry::remove);
                byTopic.remove(entry.getKey(), entry.getValue());
            }
        }
    }

    private static final class Counters {
        final LongAdder messagesIn = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder replicationBytesIn = new LongAdder();
        final LongAdder replicationBytesOut = new LongAdder();
        final List<Meter> meters = new ArrayList<>(5);
    }
}
