package io.tributary.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.BrokerConfigException;
import io.tributary.broker.protocol.ApiError;
import io.tributary.broker.topic.TopicConfigValidator;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** cleanup.policy and the compaction topic configs as Kafka accepts them, and the log.cleaner.* broker settings. */
class CompactionConfigTest {

    @Test
    void cleanupPolicyAcceptsKafkasListSpellings() {
        assertEquals(CleanupPolicy.DELETE, CleanupPolicy.parse("cleanup.policy", "delete"));
        assertEquals(CleanupPolicy.COMPACT, CleanupPolicy.parse("cleanup.policy", "compact"));
        for (String both : new String[] {"compact,delete", "delete,compact", " compact , delete ", "delete, compact"}) {
            assertEquals(CleanupPolicy.COMPACT_DELETE, CleanupPolicy.parse("cleanup.policy", both), both);
        }
        assertEquals("compact,delete", CleanupPolicy.COMPACT_DELETE.toString());
    }

    @Test
    void badCompactionValuesAreRefusedWithTheKeyAndValue() {
        assertEquals("topic config cleanup.policy=compact,remove has 'remove'; allowed: delete, compact or compact,delete",
                assertThrows(IllegalArgumentException.class, () -> LogConfig.defaults().withOverrides(
                        Map.of("cleanup.policy", "compact,remove"))).getMessage());
        assertEquals("topic config min.cleanable.dirty.ratio=1.5 is out of range [0, 1]",
                assertThrows(IllegalArgumentException.class, () -> LogConfig.defaults().withOverrides(
                        Map.of("min.cleanable.dirty.ratio", "1.5"))).getMessage());
        assertEquals("topic config delete.retention.ms=-1 is out of range [0, 9223372036854775807]",
                assertThrows(IllegalArgumentException.class, () -> LogConfig.defaults().withOverrides(
                        Map.of("delete.retention.ms", "-1"))).getMessage());
        assertEquals("topic config min.compaction.lag.ms=5000 is larger than max.compaction.lag.ms=1000",
                assertThrows(IllegalArgumentException.class, () -> LogConfig.defaults().withOverrides(
                        Map.of("min.compaction.lag.ms", "5000", "max.compaction.lag.ms", "1000"))).getMessage());
    }

    @Test
    void compactionOverridesAndDefaultsAreKafkas() {
        LogConfig defaults = LogConfig.defaults();
        assertEquals(CleanupPolicy.DELETE, defaults.cleanupPolicy());
        assertEquals(86_400_000L, defaults.deleteRetentionMs());
        assertEquals(0.5, defaults.minCleanableDirtyRatio());
        assertEquals(0, defaults.minCompactionLagMs());
        assertEquals(Long.MAX_VALUE, defaults.maxCompactionLagMs());
        LogConfig c = defaults.withOverrides(Map.of("cleanup.policy", "compact", "delete.retention.ms", "100",
                "min.cleanable.dirty.ratio", "0.25", "min.compaction.lag.ms", "10", "max.compaction.lag.ms", "60000"));
        assertEquals(new LogConfig(defaults.segmentBytes(), defaults.segmentMs(), defaults.retentionMs(),
                defaults.retentionBytes(), defaults.indexIntervalBytes(), defaults.maxMessageBytes(),
                defaults.flushIntervalMessages(), CleanupPolicy.COMPACT, 100, 0.25, 10, 60_000), c);
    }

    @Test
    void topicConfigValidatorAcceptsCompactionConfigsAndRefusesBadOnes() {
        TopicConfigValidator.validate(Map.of("cleanup.policy", "compact,delete", "delete.retention.ms", "0",
                "min.cleanable.dirty.ratio", "0.1", "min.compaction.lag.ms", "0", "max.compaction.lag.ms", "1000"));
        ApiError e = assertThrows(ApiError.class, () -> TopicConfigValidator.validate(Map.of("cleanup.policy", "purge")));
        assertEquals(Errors.INVALID_CONFIG, e.error());
        assertTrue(e.getMessage().contains("cleanup.policy=purge"), e.getMessage());
    }

    @Test
    void brokerCleanerSettingsParseWithKafkasDefaults() {
        Properties p = new Properties();
        p.setProperty("broker.id", "1");
        BrokerConfig defaults = BrokerConfig.from(p);
        assertEquals(CleanupPolicy.DELETE, defaults.get(BrokerConfig.LOG_CLEANUP_POLICY));
        assertEquals(true, defaults.get(BrokerConfig.LOG_CLEANER_ENABLE));
        assertEquals(1, defaults.get(BrokerConfig.LOG_CLEANER_THREADS));
        assertEquals(15_000L, defaults.get(BrokerConfig.LOG_CLEANER_BACKOFF_MS));
        assertEquals(Double.MAX_VALUE, defaults.get(BrokerConfig.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND));
        assertEquals(134_217_728L, defaults.get(BrokerConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE));
        p.setProperty("log.cleanup.policy", "delete,compact");
        p.setProperty("log.cleaner.io.max.bytes.per.second", "1048576");
        BrokerConfig set = BrokerConfig.from(p);
        assertEquals(CleanupPolicy.COMPACT_DELETE, set.get(BrokerConfig.LOG_CLEANUP_POLICY));
        assertEquals(1_048_576.0, set.get(BrokerConfig.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND));
        p.setProperty("log.cleaner.min.cleanable.ratio", "2");
        assertTrue(assertThrows(BrokerConfigException.class, () -> BrokerConfig.from(p)).getMessage()
                .contains("log.cleaner.min.cleanable.ratio"));
    }
}
