package io.tributary.console;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.console.metrics.BrokerMetrics;
import io.tributary.console.metrics.BrokerRates;
import io.tributary.console.timeline.BrokerState;
import io.tributary.console.timeline.Observation;
import io.tributary.console.timeline.PartitionState;
import io.tributary.console.timeline.Timeline;
import io.tributary.console.timeline.TimelineDiffer;
import io.tributary.console.timeline.TimelineEvent;
import io.tributary.console.watch.BrokerProber;
import io.tributary.console.watch.ClusterView;
import io.tributary.console.watch.DetailView;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything the console knows, confined to its event loop: the latest metadata and detail views, each broker's
 * reachability, metrics and rates, and the timeline. Every change is diffed into events and announced to the
 * listener (the SSE hub).
 */
public final class ConsoleState {
    private final Timeline timeline;
    private final TimelineDiffer differ = new TimelineDiffer();
    private final Consumer<List<TimelineEvent>> onChange;

    private ClusterView cluster;
    private DetailView detail = DetailView.EMPTY;
    /** Every broker id ever seen registered or named as a replica: one that is no longer registered is down. */
    private final Set<Integer> knownBrokers = new TreeSet<>();
    /** Each broker's latest applied probe; none yet counts as reachable. */
    private final Map<Integer, LastProbe> probes = new HashMap<>();
    private final Map<Integer, BrokerMetrics> metrics = new HashMap<>();
    private final Map<Integer, BrokerRates> rates = new HashMap<>();
    /** Records appended per second per topic from the latest offsets: the throughput without metrics. */
    private Map<String, Double> offsetRates = Map.of();
    /** Observation times never go backwards, whatever the wall clock does. */
    private long lastObservedAtMs;
    /** Read by the detail poller's thread: the brokers whose Kafka port refuses, whose partitions it skips. */
    private volatile Set<Integer> unreachableBrokers = Set.of();

    public ConsoleState(int timelineCapacity, Consumer<List<TimelineEvent>> onChange) {
        this.timeline = new Timeline(timelineCapacity);
        this.onChange = onChange;
    }

    public void onClusterView(ClusterView view) {
        ClusterView before = cluster;
        if (cluster != null) {
            // A broker that registers anew, or leaves, is reachable until a probe says otherwise (an old refusal is stale).
            Set<Integer> changed = new TreeSet<>(view.brokers().keySet());
            changed.addAll(cluster.brokers().keySet());
            changed.removeIf(id -> view.brokers().containsKey(id) && cluster.brokers().containsKey(id));
            changed.forEach(this::forgetProbes);
        }
        cluster = view;
        knownBrokers.addAll(view.brokers().keySet());
        view.topics().values().forEach(ps -> ps.forEach(p -> p.replicas().forEach(r -> knownBrokers.add(r.id()))));
        // Stamped when applied here, not when polled on the poller's thread: a probe applied in between would
        // otherwise carry a later time than this view, and leaderless durations could come out negative.
        observe(recreatedTopics(before, view));
    }

    /**
     * Topics whose id changed since the previous view: deleted and created again under the same name. They are left
     * out of one observation so that the timeline takes them as new topics (their leader epochs start again, which
     * would otherwise read as stale answers).
     */
    private static Set<String> recreatedTopics(ClusterView before, ClusterView now) {
        if (before == null) {
            return Set.of();
        }
        Set<String> recreated = new TreeSet<>();
        now.topicIds().forEach((name, id) -> {
            String old = before.topicIds().get(name);
            if (old != null && !old.equals(id)) {
                recreated.add(name);
            }
        });
        return recreated;
    }

    private void forgetProbes(int broker) {
        probes.remove(broker);
    }

    public void onDetailView(DetailView view) {
        offsetRates = OffsetRates.between(detail, view);
        detail = view;
        onChange.accept(List.of());
    }

    /**
     * @param startedAtMs when the probe was sent: a result older than the latest applied one for the broker (a late
     *                    timeout after a newer success) is dropped
     */
    public void onProbe(BrokerProber.Result result, long startedAtMs) {
        int id = result.brokerId();
        if (cluster == null || !cluster.brokers().containsKey(id)) {
            return; // it left the metadata while the probe ran
        }
        LastProbe last = probes.get(id);
        if (last != null && startedAtMs < last.startedAtMs()) {
            return;
        }
        // A scrape's outcome holds until the next scrape (every 4th probe).
        String metricsError = Boolean.TRUE.equals(result.scraped()) ? null
                : Boolean.FALSE.equals(result.scraped()) ? result.scrapeError()
                : last == null ? null : last.metricsError();
        probes.put(id, new LastProbe(startedAtMs, result.listening(), result.connectError(), metricsError));
        if (result.metrics() != null) {
            BrokerRates r = BrokerRates.between(metrics.get(id), result.metrics());
            if (r != null) {
                rates.put(id, r);
            }
            metrics.put(id, result.metrics());
        } else if (!result.listening() || Boolean.FALSE.equals(result.scraped())) {
            rates.remove(id);
        }
        observe(Set.of());
    }

    private void observe(Set<String> leaveOut) {
        lastObservedAtMs = Math.max(lastObservedAtMs, System.currentTimeMillis());
        List<TimelineEvent> events = differ.next(observation(lastObservedAtMs, leaveOut));
        events.forEach(e -> timeline.add(e, isAboutInternalTopic(e)));
        Set<Integer> unreachable = new TreeSet<>();
        knownBrokers.forEach(id -> {
            if (brokerState(id) == BrokerState.UNREACHABLE) {
                unreachable.add(id);
            }
        });
        unreachableBrokers = Set.copyOf(unreachable);
        onChange.accept(events);
    }

    private boolean isAboutInternalTopic(TimelineEvent e) {
        return e.topic() != null && cluster.internalTopics().contains(e.topic());
    }

    private Observation observation(long atMs, Set<String> leaveOut) {
        Map<Integer, BrokerState> states = new TreeMap<>();
        Map<Integer, String> because = new TreeMap<>();
        knownBrokers.forEach(id -> {
            states.put(id, brokerState(id));
            LastProbe probe = probes.get(id);
            if (brokerState(id) == BrokerState.UNREACHABLE && probe.connectError() != null) {
                because.put(id, probe.connectError());
            }
        });
        Map<TopicPartition, PartitionState> partitions = new HashMap<>();
        cluster.topics().forEach((topic, ps) -> {
            if (!leaveOut.contains(topic)) {
                ps.forEach(p -> partitions.put(p.topicPartition(), partitionState(p)));
            }
        });
        return new Observation(atMs, cluster.controllerId(), states, partitions, because);
    }

    static PartitionState partitionState(PartitionInfo p) {
        return new PartitionState(p.leader() == null ? -1 : p.leader().id(), p.leaderEpoch(),
                p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList());
    }

    public BrokerState brokerState(int id) {
        if (cluster == null || !cluster.brokers().containsKey(id)) {
            return BrokerState.DOWN;
        }
        LastProbe probe = probes.get(id);
        return probe == null || probe.listening() ? BrokerState.UP : BrokerState.UNREACHABLE;
    }

    public ClusterView cluster() {
        return cluster;
    }

    public DetailView detail() {
        return detail;
    }

    public Set<Integer> knownBrokers() {
        return knownBrokers;
    }

    public BrokerMetrics metricsOf(int broker) {
        return metrics.get(broker);
    }

    public BrokerRates ratesOf(int broker) {
        return rates.get(broker);
    }

    public Map<String, Double> offsetRates() {
        return offsetRates;
    }

    /** Why the broker's latest /metrics scrape failed, null when it did not. */
    public String metricsErrorOf(int broker) {
        LastProbe probe = probes.get(broker);
        return probe == null ? null : probe.metricsError();
    }

    /** Safe from any thread. */
    public Set<Integer> unreachableBrokers() {
        return unreachableBrokers;
    }

    public Timeline timeline() {
        return timeline;
    }

    /**
     * What a broker's latest applied probe said: when it started (an older probe's late result is dropped), whether
     * the Kafka listener answered (only this decides UNREACHABLE) and why not, and why the latest /metrics scrape
     * failed (shown on the page; the broker stays UP).
     */
    private record LastProbe(long startedAtMs, boolean listening, String connectError, String metricsError) {
    }
}
