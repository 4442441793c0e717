package io.tributary.broker.fetch;

import io.tributary.broker.metrics.RequestMetrics;
import io.tributary.broker.metrics.TopicTraffic;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.PartitionLookup;
import io.tributary.broker.topic.TopicLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Fetch from consumers and from followers. Consumers read committed data (below the high watermark);
 * followers (a replica id >= 0) read up to the log end offset, and their fetch offset tells the leader how
 * far they are, which moves the high watermark and the ISR (docs/architecture.md, "Replication"). When
 * there is less than {@code minBytes}, the fetch waits up to {@code maxWaitMs} for more (a delayed fetch
 * woken by appends). Reads touch segment indexes on disk, so they run on the read pool, never on an event loop.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    /** Fetch v15 moved the replica id into ReplicaState (KIP-903). */
    private static final short FIRST_VERSION_WITH_REPLICA_STATE = 15;

    private final TopicLookup topics;
    private final PartitionLookup partitions;
    private final Executor readPool;
    private final ScheduledExecutorService timers;
    private final TopicTraffic traffic;
    private final RequestMetrics requests;

    public FetchHandler(TopicLookup topics, PartitionLookup partitions, Executor readPool, ScheduledExecutorService timers,
                        TopicTraffic traffic, RequestMetrics requests) {
        this.topics = topics;
        this.partitions = partitions;
        this.readPool = readPool;
        this.timers = timers;
        this.traffic = traffic;
        this.requests = requests;
    }

    /** The fetching replica's id, or -1 for a consumer: where Fetch says whether a follower is asking. */
    public static int replicaId(FetchRequestData request, short version) {
        return version >= FIRST_VERSION_WITH_REPLICA_STATE ? request.replicaState().replicaId() : request.replicaId();
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FetchRequestData request) {
        short version = context.apiVersion();
        List<FetchTarget> targets = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                targets.add(FetchTarget.resolve(topics, partitions, version, topic, partition));
            }
        }
        int replicaId = replicaId(request, version);
        boolean fromFollower = replicaId >= 0;
        if (fromFollower) {
            long now = System.currentTimeMillis();
            for (FetchTarget target : targets) {
                if (target.partition() != null) {
                    target.partition().recordFollowerFetch(replicaId, target.fetchOffset(), now);
                }
            }
        }
        FetchReader reader = new FetchReader(targets, request.maxBytes(), version, fromFollower, traffic, requests);
        DelayedFetch fetch = new DelayedFetch(reader, request.minBytes(), request.maxWaitMs(), readPool, timers);
        return fetch.start().thenApply(ApiMessage.class::cast);
    }
}
