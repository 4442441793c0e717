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
    private final Map<Integer, Boolean> reachable = new HashMap<>();
    private final Map<Integer, Boolean> scrapeFailed = new HashMap<>();
    private final Map<Integer, BrokerMetrics> metrics = new HashMap<>();
    private final Map<Integer, BrokerRates> rates = new HashMap<>();
    /** Records appended per second per topic from the latest offsets: the throughput without metrics. */
    private Map<String, Double> offsetRates = Map.of();

    public ConsoleState(int timelineCapacity, Consumer<List<TimelineEvent>> onChange) {
        this.timeline = new Timeline(timelineCapacity);
        this.onChange = onChange;
    }

    public void onClusterView(ClusterView view) {
        if (cluster != null) {
            // A broker that registers anew is reachable until a probe says otherwise (an old refusal is stale).
            view.brokers().keySet().stream().filter(id -> !cluster.brokers().containsKey(id)).forEach(id -> {
                reachable.remove(id);
                scrapeFailed.remove(id);
            });
        }
        cluster = view;
        knownBrokers.addAll(view.brokers().keySet());
        view.topics().values().forEach(ps -> ps.forEach(p -> p.replicas().forEach(r -> knownBrokers.add(r.id()))));
        observe(view.atMs());
    }

    public void onDetailView(DetailView view) {
        offsetRates = OffsetRates.between(detail, view);
        detail = view;
        onChange.accept(List.of());
    }

    public void onProbe(BrokerProber.Result result, long atMs) {
        if (cluster == null || !cluster.brokers().containsKey(result.brokerId())) {
            return; // it left the metadata while the probe ran
        }
        // A scrape's outcome holds until the next scrape (every 4th probe), so a broker whose /metrics fails while its
        // Kafka port answers stays unreachable instead of flapping with every probe.
        if (result.scraped() != null) {
            scrapeFailed.put(result.brokerId(), !result.scraped());
        }
        reachable.put(result.brokerId(), result.listening() && !scrapeFailed.getOrDefault(result.brokerId(), false));
        if (result.metrics() != null) {
            BrokerRates r = BrokerRates.between(metrics.get(result.brokerId()), result.metrics());
            if (r != null) {
                rates.put(result.brokerId(), r);
            }
            metrics.put(result.brokerId(), result.metrics());
        } else if (!result.reachable()) {
            rates.remove(result.brokerId());
        }
        observe(atMs);
    }

    private void observe(long atMs) {
        List<TimelineEvent> events = differ.next(observation(atMs));
        events.forEach(timeline::add);
        onChange.accept(events);
    }

    private Observation observation(long atMs) {
        Map<Integer, BrokerState> states = new TreeMap<>();
        knownBrokers.forEach(id -> states.put(id, brokerState(id)));
        Map<TopicPartition, PartitionState> partitions = new HashMap<>();
        cluster.topics().values().forEach(ps -> ps.forEach(p -> partitions.put(p.topicPartition(), partitionState(p))));
        return new Observation(atMs, cluster.controllerId(), states, partitions);
    }

    static PartitionState partitionState(PartitionInfo p) {
        return new PartitionState(p.leader() == null ? -1 : p.leader().id(), p.leaderEpoch(),
                p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList());
    }

    public BrokerState brokerState(int id) {
        if (cluster == null || !cluster.brokers().containsKey(id)) {
            return BrokerState.DOWN;
        }
        return reachable.getOrDefault(id, true) ? BrokerState.UP : BrokerState.UNREACHABLE;
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

    public Timeline timeline() {
        return timeline;
    }
}
