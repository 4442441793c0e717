package io.tributary.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Per-API request count, latency and errors, after Kafka's {@code kafka.network:type=RequestMetrics}: the
 * {@code request} label is the API's name (Fetch split into FetchConsumer and FetchFollower, as Kafka does,
 * because a follower's long poll would drown the consumers' latency). Latency is a Prometheus histogram with
 * fixed buckets from 1 ms to 30 s (few buckets: there are dozens of APIs), so {@code histogram_quantile}
 * gives p99 per API.
 *
 * <p>Errors are counted by Kafka error name: every request that failed as a whole, and the per-partition
 * error codes of Produce and Fetch (the hot APIs), counted by their handlers where they set them, so no response
 * is walked partition by partition on the event loop. Per-partition errors of the other APIs are not counted.
 */
public final class RequestMetrics {

    /** Slot of FetchFollower, after every API key's own slot. */
    private static final int FETCH_FOLLOWER = maxApiKey() + 1;

    private final MeterRegistry registry;
    /** Each API's meters by API key (and FetchFollower), registered at its first request: no map lookup per request. */
    private final AtomicReferenceArray<ApiMeters> byApi = new AtomicReferenceArray<>(FETCH_FOLLOWER + 1);

    private RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static RequestMetrics enabled(MeterRegistry registry) {
        return new RequestMetrics(registry);
    }

    public static RequestMetrics disabled() {
        return new RequestMetrics(null);
    }

    public boolean isEnabled() {
        return registry != null;
    }

    /** The {@code request} label of a request: the API's name, or FetchFollower / FetchConsumer. */
    public static String requestName(ApiKeys api, boolean fromFollower) {
        if (api == ApiKeys.FETCH) {
            return fromFollower ? "FetchFollower" : "FetchConsumer";
        }
        return api.name;
    }

    /** One answered request: its time from decoding to the encoded response. */
    public void answered(ApiKeys api, boolean fromFollower, long nanos) {
        if (registry == null) {
            return;
        }
        ApiMeters meters = meters(api, fromFollower);
        meters.latency.record(nanos, TimeUnit.NANOSECONDS);
        meters.requests.increment();
    }

    /** A request whose handler failed as a whole; answered with {@code error} (counted once, not per partition). */
    public void failed(ApiKeys api, Errors error) {
        if (registry == null) {
            return;
        }
        countError(meters(api, false), error.code());
    }

    /** A partition of a Produce or Fetch answered with {@code code}; the handler that set it calls this. */
    public void partitionError(ApiKeys api, boolean fromFollower, short code) {
        if (registry == null) {
            return;
        }
        countError(meters(api, fromFollower), code);
    }

    private void countError(ApiMeters meters, short code) {
        if (code == Errors.NONE.code()) {
            return;
        }
        Errors error = Errors.forCode(code);
        meters.errors.computeIfAbsent(error, e -> Counter.builder("kafka.network.requestmetrics.errors")
                .description("Error codes answered, per API and Kafka error name")
                .tag("request", meters.request).tag("error", e.name()).register(registry)).increment();
    }

    private ApiMeters meters(ApiKeys api, boolean fromFollower) {
        int slot = api == ApiKeys.FETCH && fromFollower ? FETCH_FOLLOWER : api.id;
        ApiMeters m = byApi.get(slot);
        if (m == null) {
            // Micrometer returns the meters already registered under the same name and tags, so two threads
            // racing here end up with the same ones.
            byApi.compareAndSet(slot, null, register(requestName(api, fromFollower)));
            m = byApi.get(slot);
        }
        return m;
    }

    private static int maxApiKey() {
        int max = 0;
        for (ApiKeys api : ApiKeys.values()) {
            max = Math.max(max, api.id);
        }
        return max;
    }

    private ApiMeters register(String request) {
        Timer latency = Timer.builder("kafka.network.requestmetrics.totaltime")
                .description("Time from a request's decoding to its encoded response")
                .tag("request", request).serviceLevelObjectives(LatencyBuckets.get()).register(registry);
        Counter requests = Counter.builder("kafka.network.requestmetrics.requests")
                .description("Requests answered").tag("request", request).register(registry);
        return new ApiMeters(request, latency, requests);
    }

    private record ApiMeters(String request, Timer latency, Counter requests, Map<Errors, Counter> errors) {
        ApiMeters(String request, Timer latency, Counter requests) {
            this(request, latency, requests, new ConcurrentHashMap<>());
        }
    }
}
