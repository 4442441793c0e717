package io.tributary.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static Properties props(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    private static String failure(Properties properties) {
        return assertThrows(BrokerConfigException.class, () -> BrokerConfig.from(properties)).getMessage();
    }

    @Test
    void parsesKafkaNamedSettingsAndAppliesDefaults() {
        BrokerConfig config = BrokerConfig.from(props("broker.id", "3", "listeners", "PLAINTEXT://127.0.0.1:9094",
                "log.dirs", "/data/a,/data/b", "zookeeper.connect", "zk1:2181,zk2:2181/prod"));
        assertEquals(3, config.brokerId());
        assertEquals(new ListenerAddress("PLAINTEXT", "127.0.0.1", 9094), config.listener());
        assertEquals(List.of(Path.of("/data/a"), Path.of("/data/b")), config.get(BrokerConfig.LOG_DIRS));
        assertEquals("zk1:2181,zk2:2181", config.zookeeperHosts());
        assertEquals("/prod", config.zookeeperChroot());
        assertEquals(1073741824L, config.get(BrokerConfig.LOG_SEGMENT_BYTES));
        assertEquals(6000, config.get(BrokerConfig.ZOOKEEPER_SESSION_TIMEOUT_MS));
    }

    @Test
    void zookeeperConnectWithoutChrootUsesTheDefaultChroot() {
        BrokerConfig config = BrokerConfig.from(props("broker.id", "1", "zookeeper.connect", "localhost:2181"));
        assertEquals("/tributary", config.zookeeperChroot());
    }

    @Test
    void unknownSettingIsRefusedByName() {
        String message = failure(props("broker.id", "1", "log.segmnt.bytes", "100"));
        assertTrue(message.contains("log.segmnt.bytes"), message);
    }

    @Test
    void negativeBrokerIdIsRefusedByName() {
        String message = failure(props("broker.id", "-5"));
        assertTrue(message.contains("broker.id") && message.contains("-5"), message);
    }

    @Test
    void missingBrokerIdIsRefusedByName() {
        String message = failure(props());
        assertTrue(message.contains("broker.id"), message);
    }

    @Test
    void malformedListenerIsRefusedByName() {
        String message = failure(props("broker.id", "1", "listeners", "nonsense"));
        assertTrue(message.contains("listeners") && message.contains("nonsense"), message);
    }

    @Test
    void unsupportedSecurityProtocolIsRefused() {
        String message = failure(props("broker.id", "1", "listeners", "SSL://localhost:9093"));
        assertTrue(message.contains("PLAINTEXT"), message);
    }

    @Test
    void malformedZookeeperConnectIsRefusedByName() {
        String message = failure(props("broker.id", "1", "zookeeper.connect", "localhost"));
        assertTrue(message.contains("zookeeper.connect"), message);
    }

    @Test
    void nonNumericValueIsRefusedByName() {
        String message = failure(props("broker.id", "1", "num.partitions", "many"));
        assertTrue(message.contains("num.partitions") && message.contains("many"), message);
    }

    @Test
    void advertisedListenerDefaultsToTheListenerWithTheHostName() {
        BrokerConfig config = BrokerConfig.from(props("broker.id", "1", "listeners", "PLAINTEXT://:9092"));
        assertEquals(new ListenerAddress("PLAINTEXT", "myhost", 9092), config.advertisedListener("myhost"));
    }
}
