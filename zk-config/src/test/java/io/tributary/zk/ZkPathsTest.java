package io.tributary.zk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ZkPathsTest {

    @Test
    void pathsFollowTheDesignLayout() {
        assertEquals("/tributary", ZkPaths.DEFAULT_CHROOT);
        assertEquals("/cluster/id", ZkPaths.clusterId());
        assertEquals("/brokers/ids", ZkPaths.brokerIds());
        assertEquals("/brokers/ids/7", ZkPaths.broker(7));
        assertEquals("/controller", ZkPaths.controller());
        assertEquals("/brokers/topics", ZkPaths.topics());
        assertEquals("/brokers/topics/orders", ZkPaths.topic("orders"));
        assertEquals("/brokers/topics/orders/partitions/3/state", ZkPaths.partitionState("orders", 3));
        assertEquals("/elections", ZkPaths.elections());
        assertEquals("/elections/orders/3", ZkPaths.election("orders", 3));
        assertEquals("/config/topics", ZkPaths.topicConfigs());
        assertEquals("/config/topics/orders", ZkPaths.topicConfig("orders"));
        assertEquals("/admin/delete_topics", ZkPaths.deleteTopics());
        assertEquals("/admin/delete_topics/orders", ZkPaths.deleteTopic("orders"));
        assertEquals("/latest_producer_id_block", ZkPaths.producerIdBlock());
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ZkPaths.topic("a/b"));
        assertThrows(IllegalArgumentException.class, () -> ZkPaths.topic(""));
        assertThrows(IllegalArgumentException.class, () -> ZkPaths.partitionState("t", -1));
        assertThrows(IllegalArgumentException.class, () -> ZkPaths.broker(-2));
    }
}
