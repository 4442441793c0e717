package io.tributary.coordinator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.coordinator.ZkTestBase;
import io.tributary.coordinator.assignment.InvalidPartitionsException;
import io.tributary.coordinator.topics.PartitionAdder;
import io.tributary.coordinator.topics.TopicStore;
import io.tributary.coordinator.topics.UnknownTopicException;
import io.tributary.zk.model.TopicAssignment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config overrides and added partitions in a real ZooKeeper: Kafka's znodes, and no lost update between writers. */
class ConfigStoreTest extends ZkTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CuratorFramework zk;
    private ConfigStore configs;
    private CuratorFramework root;

    @BeforeEach
    void setUp() {
        zk = newClient();
        configs = new ConfigStore(zk);
        root = rootClient();
        new TopicStore(zk).createTopic("orders", Map.of(0, List.of(1, 2)), Map.of("retention.ms", "60000"));
    }

    @Test
    void topicAndBrokerOverridesLiveWhereKafkaKeepsThem() throws Exception {
        configs.updateTopicConfig("orders", current -> {
            Map<String, String> next = new HashMap<>(current);
            next.put("segment.bytes", "1048576");
            return next;
        });
        assertEquals(Optional.of(Map.of("retention.ms", "60000", "segment.bytes", "1048576")), configs.topicConfig("orders"));
        assertEquals(Optional.empty(), configs.updateTopicConfig("missing", current -> current));

        configs.updateBrokerConfig(ConfigStore.DEFAULT_BROKER_ENTITY, current -> Map.of("log.retention.ms", "1000"));
        configs.updateBrokerConfig("2", current -> Map.of("message.max.bytes", "2000000"));
        assertEquals(JSON.readTree("{\"version\":1,\"config\":{\"log.retention.ms\":\"1000\"}}"),
                JSON.readTree(root.getData().forPath("/tributary/config/brokers/<default>")));
        assertEquals(Map.of("message.max.bytes", "2000000"), configs.brokerConfig("2"));
        assertEquals(Map.of(), configs.brokerConfig("3"));
    }

    @Test
    void concurrentWritersNeverLoseEachOthersKeys() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String key = "key." + w;
                ConfigStore own = new ConfigStore(newClient());
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        String value = Integer.toString(i);
                        own.updateBrokerConfig("1", current -> {
                            Map<String, String> next = new HashMap<>(current);
                            next.put(key, value);
                            return next;
                        });
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of("key.0", "4", "key.1", "4", "key.2", "4", "key.3", "4"), configs.brokerConfig("1"));
    }

    @Test
    void addedPartitionsGetStatesAndAStaleReadIsRefused() throws Exception {
        PartitionAdder adder = new PartitionAdder(zk);
        PartitionAdder.Current current = adder.read("orders");
        TopicAssignment grown = adder.add("orders", current, Map.of(1, List.of(2, 1), 2, List.of(1, 2)));
        assertEquals(Map.of(0, List.of(1, 2), 1, List.of(2, 1), 2, List.of(1, 2)), grown.partitions());
        assertEquals(current.assignment().topicId(), grown.topicId());
        assertTrue(root.checkExists().forPath("/tributary/brokers/topics/orders/partitions/2/state") != null);
        assertEquals(JSON.readTree("[1,2]"), JSON.readTree(root.getData()
                .forPath("/tributary/brokers/topics/orders/partitions/2/state")).get("isr"));

        // A second writer that read before the first wrote must not add "partition 1" again.
        assertThrows(InvalidPartitionsException.class, () -> adder.add("orders", current, Map.of(1, List.of(1, 2))));
        assertThrows(UnknownTopicException.class, () -> adder.read("missing"));
    }
}
