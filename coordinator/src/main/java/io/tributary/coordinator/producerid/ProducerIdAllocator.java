package io.tributary.coordinator.producerid;

import io.tributary.coordinator.ZkOperationException;
import io.tributary.zk.ZkJson;
import io.tributary.zk.ZkPaths;
import io.tributary.zk.model.ProducerIdBlock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Hands out producer ids (for InitProducerId, KIP-98) unique across brokers and restarts: each
 * broker reserves a block of ids at {@code /latest_producer_id_block} by compare-and-set, as
 * Kafka's ZooKeeper mode did, and serves ids from it until it runs out. Ids of a block not used
 * before a restart are skipped, never reused.
 */
public final class ProducerIdAllocator {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerIdAllocator.class);

    /** Kafka's block size. */
    public static final int DEFAULT_BLOCK_SIZE = 1000;

    private final CuratorFramework zk;
    private final int brokerId;
    private final int blockSize;
    private long next;
    private long last = -1;

    public ProducerIdAllocator(CuratorFramework zk, int brokerId, int blockSize) {
        this.zk = Objects.requireNonNull(zk, "zk");
        if (blockSize < 1) {
            throw new IllegalArgumentException("producer id block size must be >= 1, got: " + blockSize);
        }
        this.brokerId = brokerId;
        this.blockSize = blockSize;
    }

    /** The next unused producer id. Blocks when the current block is used up and a new one must be reserved. */
    public synchronized long nextProducerId() {
        if (next > last) {
            ProducerIdBlock block = reserveBlock();
            next = block.firstProducerId();
            last = block.lastProducerId();
        }
        return next++;
    }

    private ProducerIdBlock reserveBlock() {
        String path = ZkPaths.producerIdBlock();
        while (true) {
            try {
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = zk.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException first) {
                    ProducerIdBlock block = new ProducerIdBlock(brokerId, 0, blockSize);
                    try {
                        zk.create().creatingParentsIfNeeded().forPath(path, ZkJson.toBytes(block));
                        LOG.info("broker {} reserved the first producer id block {}..{}", brokerId, 0, block.lastProducerId());
                        return block;
                    } catch (KeeperException.NodeExistsException raced) {
                        continue; // another broker reserved the first block: read it and take the next one
                    }
                }
                ProducerIdBlock previous = ZkJson.fromBytes(data, ProducerIdBlock.class);
                if (previous.lastProducerId() > Long.MAX_VALUE - blockSize) {
                    throw new IllegalStateException("producer ids are exhausted: the last block ends at " + previous.lastProducerId());
                }
                ProducerIdBlock block = new ProducerIdBlock(brokerId, previous.lastProducerId() + 1, blockSize);
                try {
                    zk.setData().withVersion(stat.getVersion()).forPath(path, ZkJson.toBytes(block));
                    LOG.info("broker {} reserved producer id block {}..{}", brokerId, block.firstProducerId(), block.lastProducerId());
                    return block;
                } catch (KeeperException.BadVersionException raced) {
                    LOG.debug("broker {}: producer id block CAS lost at version {}; retrying", brokerId, stat.getVersion());
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ZkOperationException("broker " + brokerId + " cannot reserve a producer id block at " + path, e);
            }
        }
    }
}
