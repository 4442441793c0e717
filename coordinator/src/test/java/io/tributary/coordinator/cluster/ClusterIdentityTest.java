package io.tributary.coordinator.cluster;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.zk.RandomIds;
import io.tributary.zk.ZkJson;
import io.tributary.zk.model.ClusterId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterIdentityTest extends ZkTestBase {

    @Test
    void createdOnceAndSharedByEveryBroker() throws Exception {
        String first = ClusterIdentity.getOrCreate(newClient());
        assertEquals(22, first.length());
        RandomIds.fromText(first); // parses as Kafka's Uuid text form
        assertEquals(first, ClusterIdentity.getOrCreate(newClient()));
        assertEquals(new ClusterId(first), ZkJson.fromBytes(rootClient().getData().forPath("/tributary/cluster/id"), ClusterId.class));
    }

    @Test
    void concurrentCreatorsAgreeOnOneId() throws Exception {
        List<Callable<String>> brokers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var client = newClient();
            brokers.add(() -> ClusterIdentity.getOrCreate(client));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var ids = new HashSet<String>();
            for (Future<String> id : pool.invokeAll(brokers)) {
                ids.add(id.get());
            }
            assertEquals(1, ids.size(), "all brokers see one cluster id: " + ids);
        } finally {
            pool.shutdownNow();
        }
    }
}
