package io.tributary.broker.fetch;

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
 * Fetch for consumers: reads committed data from the partitions this broker leads and, when there is
 * less than {@code minBytes}, waits up to {@code maxWaitMs} for more (a delayed fetch woken by appends).
 * Reads touch segment indexes on disk, so they run on the read pool, never on an event loop.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    private final TopicLookup topics;
    private final PartitionLookup partitions;
    private final Executor readPool;
    private final ScheduledExecutorService timers;

    public FetchHandler(TopicLookup topics, PartitionLookup partitions, Executor readPool, ScheduledExecutorService timers) {
        this.topics = topics;
        this.partitions = partitions;
        this.readPool = readPool;
        this.timers = timers;
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
        FetchReader reader = new FetchReader(targets, request.maxBytes(), version);
        DelayedFetch fetch = new DelayedFetch(reader, request.minBytes(), request.maxWaitMs(), readPool, timers);
        return fetch.start().thenApply(ApiMessage.class::cast);
    }
}
