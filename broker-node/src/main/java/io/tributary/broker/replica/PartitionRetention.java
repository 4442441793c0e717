package io.tributary.broker.replica;

import java.util.function.Supplier;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic retention over this broker's partitions. Each deletion runs on the partition's own writer,
 * so it never races an append, and stops at the high watermark: nothing a consumer may not yet have
 * read is deleted.
 */
public final class PartitionRetention implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PartitionRetention.class);

    private final int brokerId;
    private final Supplier<List<Partition>> partitions;

    public PartitionRetention(int brokerId, Supplier<List<Partition>> partitions) {
        this.brokerId = brokerId;
        this.partitions = partitions;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        for (Partition partition : partitions.get()) {
            partition.writer().execute(() -> {
                int deleted = partition.log().deleteExpiredSegments(now, partition.highWatermark());
                if (deleted > 0) {
                    log.info("Broker {}: retention deleted {} segment(s) of {}, log start offset now {}", brokerId,
                            deleted, partition.topicPartition(), partition.logStartOffset());
                }
            });
        }
    }
}
