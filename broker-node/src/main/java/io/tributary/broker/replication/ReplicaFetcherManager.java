package io.tributary.broker.replication;

import io.tributary.broker.metrics.TopicTraffic;
import io.tributary.broker.replica.Partition;
import io.tributary.coordinator.membership.BrokerRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which leader each followed partition is fetched from: one {@link ReplicaFetcher} (thread and connection) per
 * leader broker, batching every partition this broker follows there.
 */
public final class ReplicaFetcherManager implements AutoCloseable {

    private final int brokerId;
    private final BrokerRegistry brokers;
    private final FetcherSettings settings;
    private final TopicTraffic traffic;
    private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
    private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();
    private boolean closed;

    public ReplicaFetcherManager(int brokerId, BrokerRegistry brokers, FetcherSettings settings,
                                 TopicTraffic traffic) {
        this.brokerId = brokerId;
        this.brokers = brokers;
        this.settings = settings;
        this.traffic = traffic;
    }

    /** Fetches {@code partition} from {@code leaderId} at {@code leaderEpoch}, truncating first (KIP-101). */
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        if (closed || leaderId == brokerId) {
            return;
        }
        TopicPartition tp = partition.topicPartition();
        Integer previous = leaderOf.put(tp, leaderId);
        if (previous != null && previous != leaderId) {
            byLeader.get(previous).remove(tp);
        }
        byLeader.computeIfAbsent(leaderId, id -> {
            ReplicaFetcher fetcher = new ReplicaFetcher(brokerId, id, leader -> brokers.liveBrokers().get(leader), settings, traffic);
            fetcher.start();
            return fetcher;
        }).add(partition, leaderEpoch);
    }

    public synchronized void stopFollowing(TopicPartition tp) {
        Integer leader = leaderOf.remove(tp);
        if (leader != null) {
            byLeader.get(leader).remove(tp);
        }
    }

    @Override
    public void close() {
        Map<Integer, ReplicaFetcher> fetchers;
        synchronized (this) {
            closed = true;
            fetchers = new HashMap<>(byLeader);
            byLeader.clear();
            leaderOf.clear();
        }
        fetchers.values().forEach(ReplicaFetcher::close);
    }
}
