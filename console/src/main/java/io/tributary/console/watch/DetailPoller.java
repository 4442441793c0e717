package io.tributary.console.watch;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.admin.GroupDescription;
import io.tributary.client.admin.GroupListing;
import io.tributary.client.admin.ListOffsetsResult;
import io.tributary.client.admin.LogDirDescription;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The slow poll, on its own thread so that its calls (which may wait for a dying broker until request.timeout.ms)
 * never delay the Metadata poll the timeline is built from: offsets, log dir sizes, topic config overrides, groups
 * with committed offsets, and each broker's metrics.listener. Each part fails alone; the last good value stays.
 */
public final class DetailPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DetailPoller.class);
    static final String METRICS_LISTENER = "metrics.listener";

    private final Admin admin;
    private final Supplier<ClusterView> latestView;
    private final Supplier<Set<Integer>> unreachableBrokers;
    private final Consumer<DetailView> sink;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-detail-poller");
        t.setDaemon(true);
        return t;
    });
    /** Asked once per broker registration (host:port), since a listener only changes with a restart. */
    private final Map<Integer, String> metricsUrls = new ConcurrentHashMap<>();
    private final Map<Integer, String> metricsUrlAskedOf = new HashMap<>();
    private DetailView last = DetailView.EMPTY;
    /** What is failing now (a call, or a partition's offsets): warned once per outage, and once when it recovers. */
    private final Set<String> failing = new HashSet<>();

    /**
     * @param unreachableBrokers the brokers whose Kafka port the prober finds refusing: their partitions' offsets and
     *                           their log dirs are not asked for (each call would wait until request.timeout.ms)
     */
    public DetailPoller(Admin admin, Supplier<ClusterView> latestView, Supplier<Set<Integer>> unreachableBrokers,
                        Consumer<DetailView> sink) {
        this.admin = admin;
        this.latestView = latestView;
        this.unreachableBrokers = unreachableBrokers;
        this.sink = sink;
    }

    public void start(long intervalMs) {
        thread.scheduleWithFixedDelay(this::pollOnce, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        ClusterView view = latestView.get();
        if (view == null) {
            return;
        }
        try {
            refreshMetricsUrls(view);
            Set<Integer> unreachable = unreachableBrokers.get();
            List<TopicPartition> led = new ArrayList<>();
            view.topics().values().forEach(ps -> ps.stream().filter(p -> !p.offline()
                    && view.brokers().containsKey(p.leader().id()) && !unreachable.contains(p.leader().id()))
                    .map(PartitionInfo::topicPartition).forEach(led::add));
            Map<TopicPartition, Long> earliest = new HashMap<>(last.earliest());
            Map<TopicPartition, Long> latest = new HashMap<>(last.latest());
            Set<TopicPartition> answered = new HashSet<>();
            offsets(led, OffsetSpec.EARLIEST, earliest, new HashSet<>());
            offsets(led, OffsetSpec.LATEST, latest, answered);
            Set<TopicPartition> existing = new HashSet<>();
            view.topics().values().forEach(ps -> ps.forEach(p -> existing.add(p.topicPartition())));
            earliest.keySet().retainAll(existing);
            latest.keySet().retainAll(existing);
            Map<Integer, Map<TopicPartition, Long>> sizes = new TreeMap<>();
            for (int broker : view.brokers().keySet()) {
                Map<TopicPartition, Long> previous = last.sizes().getOrDefault(broker, Map.of());
                sizes.put(broker, unreachable.contains(broker) ? previous
                        : attempt("describe the log dirs of broker " + broker, () -> sizesOf(broker), previous));
            }
            Map<String, Map<String, String>> configs = new TreeMap<>();
            for (String topic : view.topics().keySet()) {
                configs.put(topic, attempt("describe the configs of topic " + topic, () -> overrides(topic),
                        last.topicConfigs().getOrDefault(topic, Map.of())));
            }
            List<GroupView> groups = attempt("describe groups", this::groups, last.groups());
            last = new DetailView(System.currentTimeMillis(), earliest, latest, sizes, configs, groups, Map.copyOf(metricsUrls),
                    answered);
            sink.accept(last);
        } catch (RuntimeException e) {
            log.warn("Detail poll failed: {}", e.toString());
        }
    }

    /**
     * Asks the leaders for one offset of each partition and puts what they answered into {@code into} (which holds
     * the last known values); a partition that fails keeps its last value and is warned about once per outage.
     */
    private void offsets(List<TopicPartition> partitions, OffsetSpec spec, Map<TopicPartition, Long> into,
                         Set<TopicPartition> answered) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        ListOffsetsResult result;
        try {
            result = admin.listOffsets(specs);
        } catch (RuntimeException e) {
            failed("list the " + spec.name().toLowerCase(java.util.Locale.ROOT) + " offsets", e);
            return;
        }
        into.putAll(result.offsets());
        answered.addAll(result.offsets().keySet());
        for (TopicPartition tp : partitions) {
            String what = "list the " + spec.name().toLowerCase(java.util.Locale.ROOT) + " offset of " + tp;
            if (result.errors().containsKey(tp)) {
                failed(what, result.errors().get(tp));
            } else {
                recovered(what);
            }
        }
    }

    private Map<TopicPartition, Long> sizesOf(int broker) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (LogDirDescription dir : admin.describeLogDirs(broker)) {
            sizes.putAll(dir.partitionBytes());
        }
        return sizes;
    }

    private Map<String, String> overrides(String topic) {
        Map<String, String> overrides = new TreeMap<>();
        ConfigResource resource = ConfigResource.topic(topic);
        for (ConfigEntry e : admin.describeConfigs(resource)) {
            if (e.isOverride(resource)) {
                overrides.put(e.name(), e.sensitive() ? "(sensitive)" : e.value());
            }
        }
        return overrides;
    }

    private List<GroupView> groups() {
        List<String> ids = admin.listGroups().stream().filter(GroupListing::isConsumerGroup).map(GroupListing::groupId).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<GroupView> groups = new ArrayList<>();
        for (GroupDescription d : admin.describeGroups(ids).values()) {
            groups.add(new GroupView(d, attempt("list the offsets of group " + d.groupId(),
                    () -> admin.listGroupOffsets(d.groupId()), Map.of())));
        }
        return groups;
    }

    /** The metrics.listener of each live broker, asked again when a broker registers anew. */
    private void refreshMetricsUrls(ClusterView view) {
        // A broker that left is asked again when it returns, even at the same address (its config may have changed).
        metricsUrlAskedOf.keySet().retainAll(view.brokers().keySet());
        metricsUrls.keySet().retainAll(view.brokers().keySet());
        view.brokers().forEach((id, node) -> {
            if (node.address().equals(metricsUrlAskedOf.get(id))) {
                return;
            }
            try {
                String url = admin.describeConfigs(ConfigResource.broker(id)).stream()
                        .filter(e -> e.name().equals(METRICS_LISTENER)).map(ConfigEntry::value).findFirst().orElse(null);
                if (url == null || url.isBlank() || url.equals("none")) {
                    metricsUrls.remove(id);
                    log.info("Broker {} reports no metrics.listener: its metrics columns stay empty", id);
                } else {
                    metricsUrls.put(id, url);
                    log.info("Broker {} serves metrics at {}/metrics", id, url);
                }
                metricsUrlAskedOf.put(id, node.address());
                recovered("describe the configs of broker " + id);
            } catch (RuntimeException e) {
                failed("describe the configs of broker " + id, e);
            }
        });
    }

    private <T> T attempt(String what, Supplier<T> call, T fallback) {
        try {
            T value = call.get();
            recovered(what);
            return value;
        } catch (RuntimeException e) {
            failed(what, e);
            return fallback;
        }
    }

    private void failed(String what, Throwable e) {
        if (failing.add(what)) {
            log.warn("Could not {} (keeping the last value; retrying every poll): {}", what, e.toString());
        } else {
            log.debug("Still cannot {}: {}", what, e.toString());
        }
    }

    private void recovered(String what) {
        if (failing.remove(what)) {
            log.info("Can {} again", what);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Waits for a poll in progress to finish after {@link #close}, so that none delivers a view afterwards. */
    public boolean awaitTermination(long timeoutMs) throws InterruptedException {
        return thread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
