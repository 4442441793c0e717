package io.tributary.broker.admin;

import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.protocol.ApiHandler;
import io.tributary.broker.protocol.RequestContext;
import io.tributary.broker.replica.Partition;
import io.tributary.broker.replica.ReplicaManager;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (v1-4): each of this broker's log dirs with the partition logs in it, their size on disk and
 * offset lag (how far the log end is behind the high watermark: 0 on a leader, as in Kafka), never a future
 * replica (no intra-broker moves); total and usable bytes of the dir's file system from v4. Sizes are file-system
 * reads: served on the read pool.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {

    private final LogManager logs;
    private final ReplicaManager replicas;
    private final Executor readPool;

    public DescribeLogDirsHandler(LogManager logs, ReplicaManager replicas, Executor readPool) {
        this.logs = logs;
        this.replicas = replicas;
        this.readPool = readPool;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeLogDirsRequestData request) {
        short version = context.apiVersion();
        return CompletableFuture.supplyAsync(() -> {
            DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
            Map<Path, DescribeLogDirsResult> byDir = new LinkedHashMap<>();
            for (Path dir : logs.logDirs()) {
                DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString()).setErrorCode(Errors.NONE.code());
                if (version >= 4) {
                    space(dir, result);
                }
                byDir.put(dir, result);
                response.results().add(result);
            }
            logs.all().stream().sorted(Comparator.comparing(PartitionLog::topic).thenComparingInt(PartitionLog::partition))
                    .filter(log -> wanted(request, log))
                    .forEach(log -> {
                        DescribeLogDirsResult result = byDir.get(log.dir().getParent());
                        if (result == null) {
                            return;
                        }
                        DescribeLogDirsTopic topic = result.topics().stream().filter(t -> t.name().equals(log.topic()))
                                .findFirst().orElseGet(() -> {
                                    DescribeLogDirsTopic created = new DescribeLogDirsTopic().setName(log.topic());
                                    result.topics().add(created);
                                    return created;
                                });
                        topic.partitions().add(new DescribeLogDirsPartition().setPartitionIndex(log.partition())
                                .setPartitionSize(log.sizeInBytes()).setOffsetLag(lag(log)).setIsFutureKey(false));
                    });
            return response;
        }, readPool);
    }

    private long lag(PartitionLog log) {
        Optional<Partition> partition = replicas.partition(new TopicPartition(log.topic(), log.partition()));
        return partition.map(p -> Math.max(0, p.highWatermark() - log.logEndOffset())).orElse(0L);
    }

    private static boolean wanted(DescribeLogDirsRequestData request, PartitionLog log) {
        if (request.topics() == null) {
            return true;
        }
        DescribeLogDirsRequestData.DescribableLogDirTopic topic = request.topics().find(log.topic());
        return topic != null && topic.partitions().contains(log.partition());
    }

    private static void space(Path dir, DescribeLogDirsResult result) {
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            result.setTotalBytes(-1).setUsableBytes(-1);
        }
    }
}
