package io.tributary.broker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * One gauge per key (a replica, a group's partition), registered the first time a scrape sets it and removed at
 * the first scrape that does not: the registry's lock is taken only when a key appears or goes away, not for
 * every series at every scrape as {@code MultiGauge.register(rows, true)} does. A scrape calls {@link #set} for
 * every key that still exists, then {@link #removeUnset}. Used by the scrape only, which is serialised.
 */
final class KeyedGauges<K> {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Function<K, Tags> tags;
    private final Map<K, Value> values = new HashMap<>();

    KeyedGauges(MeterRegistry registry, String name, String description, Function<K, Tags> tags) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.tags = tags;
    }

    void set(K key, double value) {
        Value v = values.get(key);
        if (v == null) {
            v = new Value();
            v.gauge = Gauge.builder(name, v, current -> current.value).description(description).tags(tags.apply(key))
                    .strongReference(true).register(registry);
            values.put(key, v);
        }
        v.value = value;
        v.set = true;
    }

    /** Removes the gauges of keys not set since the last call: what went away has no series from now on. */
    void removeUnset() {
        for (Iterator<Value> it = values.values().iterator(); it.hasNext(); ) {
            Value v = it.next();
            if (v.set) {
                v.set = false;
            } else {
                registry.remove(v.gauge);
                it.remove();
            }
        }
    }

    private static final class Value {
        volatile double value;
        boolean set;
        Gauge gauge;
    }
}
