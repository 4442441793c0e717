package io.tributary.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void defaultsAreKafkas() {
        assertEquals(new LogConfig(1_073_741_824L, 604_800_000L, 604_800_000L, -1, 4096, 1_048_588, Long.MAX_VALUE),
                LogConfig.defaults());
    }

    @Test
    void overridesApplyKnownKeysAndIgnoreOthers() {
        LogConfig c = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "1048576", "segment.ms", "60000",
                "retention.ms", "-1", "retention.bytes", "5000000", "max.message.bytes", "2000000",
                "cleanup.policy", "delete", "min.insync.replicas", "2"));
        assertEquals(new LogConfig(1_048_576, 60_000, -1, 5_000_000, 4096, 2_000_000, Long.MAX_VALUE), c);
    }

    @Test
    void badValuesNameTheKeyAndValue() {
        assertEquals("topic config segment.bytes=3000000000 is out of range [61, 2147483647]",
                assertThrows(IllegalArgumentException.class,
                        () -> LogConfig.defaults().withOverrides(Map.of("segment.bytes", "3000000000"))).getMessage());
        assertEquals("topic config retention.bytes=-2 is out of range [-1, 9223372036854775807]",
                assertThrows(IllegalArgumentException.class,
                        () -> LogConfig.defaults().withOverrides(Map.of("retention.bytes", "-2"))).getMessage());
        assertEquals("topic config max.message.bytes=1MB is not an integer",
                assertThrows(IllegalArgumentException.class,
                        () -> LogConfig.defaults().withOverrides(Map.of("max.message.bytes", "1MB"))).getMessage());
    }

    @Test
    void topicPartitionDirsParseFromTheLastDash() {
        assertEquals(new TopicPartitionDir("a-b.c_d", 12), TopicPartitionDir.parse("a-b.c_d-12").orElseThrow());
        assertEquals("a-b.c_d-12", new TopicPartitionDir("a-b.c_d", 12).dirName());
        assertEquals(java.util.Optional.empty(), TopicPartitionDir.parse("topic"));
        assertEquals(java.util.Optional.empty(), TopicPartitionDir.parse("topic-"));
        assertEquals(java.util.Optional.empty(), TopicPartitionDir.parse("-3"));
        assertEquals(java.util.Optional.empty(), TopicPartitionDir.parse("topic-x1"));
        assertEquals(java.util.Optional.empty(), TopicPartitionDir.parse("topic-99999999999"));
    }
}
