package io.tributary.console.watch;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.admin.GroupDescription;
import io.tributary.client.admin.GroupListing;
import io.tributary.client.admin.LogDirDescription;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    public DetailPoller(Admin admin, Supplier<ClusterView> latestView, Consumer<DetailView> sink) {
        this.admin = admin;
        this.latestView = latestView;
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
            List<TopicPartition> led = new ArrayList<>();
            view.topics().values().forEach(ps -> ps.stream().filter(p -> !p.offline()
                    && view.brokers().containsKey(p.leader().id())).map(PartitionInfo::topicPartition).forEach(led::add));
            Map<TopicPartition, Long> earliest = attempt("list earliest offsets", () -> offsets(led, OffsetSpec.EARLIEST), last.earliest());
            Map<TopicPartition, Long> latest = attempt("list latest offsets", () -> offsets(led, OffsetSpec.LATEST), last.latest());
            Map<Integer, Map<TopicPartition, Long>> sizes = new TreeMap<>();
            for (int broker : view.brokers().keySet()) {
                Map<TopicPartition, Long> previous = last.sizes().getOrDefault(broker, Map.of());
                sizes.put(broker, attempt("describe the log dirs of broker " + broker, () -> sizesOf(broker), previous));
            }
            Map<String, Map<String, String>> configs = new TreeMap<>();
            for (String topic : view.topics().keySet()) {
                configs.put(topic, attempt("describe the configs of topic " + topic, () -> overrides(topic),
                        last.topicConfigs().getOrDefault(topic, Map.of())));
            }
            List<GroupView> groups = attempt("describe groups", this::groups, last.groups());
            last = new DetailView(System.currentTimeMillis(), earliest, latest, sizes, configs, groups, Map.copyOf(metricsUrls));
            sink.accept(last);
        } catch (RuntimeException e) {
            log.warn("Detail poll failed: {}", e.toString());
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        return admin.listOffsets(specs);
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
            } catch (RuntimeException e) {
                log.debug("Could not describe the configs of broker {} yet: {}", id, e.toString());
            }
        });
    }

    private <T> T attempt(String what, Supplier<T> call, T fallback) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            log.debug("Could not {} (keeping the last value): {}", what, e.toString());
            return fallback;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
