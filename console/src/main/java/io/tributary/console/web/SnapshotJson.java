package io.tributary.console.web;

import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.console.ConsoleState;
import io.tributary.console.metrics.BrokerMetrics;
import io.tributary.console.metrics.BrokerRates;
import io.tributary.console.timeline.BrokerState;
import io.tributary.console.timeline.Timeline;
import io.tributary.console.timeline.TimelineEvent;
import io.tributary.console.watch.ClusterView;
import io.tributary.console.watch.DetailView;
import io.tributary.console.watch.GroupView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The console's state as the JSON the pages and /api endpoints serve. Values not known are null ("–" on the page). */
public final class SnapshotJson {

    private SnapshotJson() {
    }

    public static JsonObject snapshot(ConsoleState state) {
        return new JsonObject().put("cluster", cluster(state)).put("topics", topics(state)).put("groups", groups(state));
    }

    public static JsonObject cluster(ConsoleState state) {
        ClusterView view = state.cluster();
        JsonObject json = new JsonObject().put("atMs", view == null ? null : view.atMs())
                .put("clusterId", view == null ? null : view.clusterId())
                .put("controller", view == null || view.controllerId() < 0 ? null : view.controllerId());
        JsonArray brokers = new JsonArray();
        Map<Integer, int[]> led = new TreeMap<>();
        int offline = 0;
        int underReplicated = 0;
        int partitions = 0;
        if (view != null) {
            for (List<PartitionInfo> ps : view.topics().values()) {
                for (PartitionInfo p : ps) {
                    partitions++;
                    offline += p.offline() ? 1 : 0;
                    underReplicated += !p.offline() && p.underReplicated() ? 1 : 0;
                    if (p.leader() != null) {
                        led.computeIfAbsent(p.leader().id(), id -> new int[1])[0]++;
                    }
                }
            }
        }
        for (int id : state.knownBrokers()) {
            BrokerState s = state.brokerState(id);
            Node node = view == null ? null : view.brokers().get(id);
            JsonObject b = new JsonObject().put("id", id).put("state", s.wireName())
                    .put("address", node == null ? null : node.address())
                    .put("controller", view != null && view.controllerId() == id)
                    .put("leaderOf", led.containsKey(id) ? led.get(id)[0] : 0)
                    .put("metricsUrl", state.detail().metricsUrls().get(id))
                    .put("metricsError", s == BrokerState.UP ? state.metricsErrorOf(id) : null);
            BrokerMetrics m = s == BrokerState.UP ? state.metricsOf(id) : null;
            BrokerRates r = s == BrokerState.UP ? state.ratesOf(id) : null;
            b.put("rssBytes", m == null ? null : m.rssBytes())
                    .put("underReplicated", m == null ? null : m.underReplicated())
                    .put("bytesInPerSec", r == null ? null : r.bytesInPerSec())
                    .put("bytesOutPerSec", r == null ? null : r.bytesOutPerSec())
                    .put("replicationBytesInPerSec", r == null ? null : r.replicationBytesInPerSec());
            brokers.add(b);
        }
        return json.put("brokers", brokers).put("partitions", partitions).put("offlinePartitions", offline)
                .put("underReplicatedPartitions", underReplicated);
    }

    public static JsonArray topics(ConsoleState state) {
        JsonArray topics = new JsonArray();
        ClusterView view = state.cluster();
        if (view == null) {
            return topics;
        }
        DetailView detail = state.detail();
        Map<String, Double> messagesIn = messagesInPerSec(state);
        view.topics().forEach((name, ps) -> {
            JsonArray partitions = new JsonArray();
            for (PartitionInfo p : ps) {
                TopicPartition tp = p.topicPartition();
                Integer leader = p.leader() == null ? null : p.leader().id();
                Long size = leader == null ? null : detail.sizes().getOrDefault(leader, Map.of()).get(tp);
                partitions.add(new JsonObject().put("partition", p.partition()).put("leader", leader)
                        .put("epoch", p.leaderEpoch())
                        .put("replicas", ids(p.replicas())).put("isr", ids(p.isr()))
                        .put("offline", p.offline()).put("underReplicated", !p.offline() && p.underReplicated())
                        .put("earliest", detail.earliest().get(tp)).put("latest", detail.latest().get(tp))
                        .put("sizeBytes", size));
            }
            topics.add(new JsonObject().put("name", name).put("internal", view.internalTopics().contains(name))
                    .put("partitions", partitions)
                    .put("configs", new JsonObject(Map.copyOf(detail.topicConfigs().getOrDefault(name, Map.of()))))
                    .put("messagesInPerSec", messagesIn.containsKey(name) ? messagesIn.get(name) : state.offsetRates().get(name))
                    .put("throughputFrom", messagesIn.containsKey(name) ? "metrics" : "offsets"));
        });
        return topics;
    }

    /** Messages in per second per topic, summed over the brokers that report metrics; empty without metrics. */
    private static Map<String, Double> messagesInPerSec(ConsoleState state) {
        Map<String, Double> sum = new TreeMap<>();
        for (int id : state.knownBrokers()) {
            BrokerRates r = state.brokerState(id) == BrokerState.UP ? state.ratesOf(id) : null;
            if (r != null) {
                r.messagesInPerSecByTopic().forEach((t, v) -> sum.merge(t, v, Double::sum));
            }
        }
        return sum;
    }

    public static JsonArray groups(ConsoleState state) {
        JsonArray groups = new JsonArray();
        DetailView detail = state.detail();
        for (GroupView g : detail.groups()) {
            JsonArray members = new JsonArray();
            for (MemberDescription m : g.description().members()) {
                members.add(new JsonObject().put("memberId", m.memberId()).put("clientId", m.clientId()).put("host", m.host())
                        .put("assignment", new JsonArray(m.assignment().stream().map(TopicPartition::toString).toList())));
            }
            JsonArray offsets = new JsonArray();
            long totalLag = 0;
            boolean lagKnown = false;
            for (Map.Entry<TopicPartition, Long> e : new TreeMap<>(g.committed()).entrySet()) {
                Long end = detail.latest().get(e.getKey());
                Long lag = end == null ? null : Math.max(0, end - e.getValue());
                if (lag != null) {
                    totalLag += lag;
                    lagKnown = true;
                }
                offsets.add(new JsonObject().put("topic", e.getKey().topic()).put("partition", e.getKey().partition())
                        .put("committed", e.getValue()).put("end", end).put("lag", lag));
            }
            groups.add(new JsonObject().put("groupId", g.description().groupId()).put("state", g.description().state())
                    .put("protocol", g.description().protocol())
                    .put("coordinator", g.description().coordinator() == null ? null : g.description().coordinator().id())
                    .put("members", members).put("offsets", offsets).put("totalLag", lagKnown ? totalLag : null));
        }
        return groups;
    }

    /** @param internal whether the event is about a partition of an internal topic (hidden unless asked for) */
    public static JsonObject event(TimelineEvent e, boolean internal) {
        return new JsonObject().put("internal", internal).put("seq", e.seq()).put("atMs", e.atMs()).put("kind", e.kind().wireName())
                .put("topic", e.topic()).put("partition", e.partition() < 0 ? null : e.partition())
                .put("broker", e.broker() < 0 ? null : e.broker()).put("from", e.from() < 0 ? null : e.from())
                .put("durationMs", e.durationMs()).put("text", e.text());
    }

    public static JsonArray events(List<TimelineEvent> events, Timeline timeline) {
        JsonArray array = new JsonArray();
        events.forEach(e -> array.add(event(e, timeline.isAboutInternalTopic(e))));
        return array;
    }

    private static JsonArray ids(List<Node> nodes) {
        return new JsonArray(nodes.stream().map(Node::id).toList());
    }
}
