package io.tributary.client.producer;

import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.PartitionMetadata;
import io.tributary.client.network.TopicMetadata;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordAccumulatorTest {
    private static final Node BROKER_1 = new Node(1, "h1", 9092, null);
    private static final Node BROKER_2 = new Node(2, "h2", 9092, null);
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    /** orders-0 led by broker 1, orders-1 by broker 2, orders-2 has no leader. */
    private static ClusterSnapshot cluster() {
        List<PartitionMetadata> partitions = List.of(
                new PartitionMetadata(P0, Errors.NONE, 1, 0, List.of(1, 2), List.of(1, 2)),
                new PartitionMetadata(P1, Errors.NONE, 2, 0, List.of(2, 1), List.of(2, 1)),
                new PartitionMetadata(new TopicPartition("orders", 2), Errors.LEADER_NOT_AVAILABLE, -1, 0, List.of(1), List.of()));
        return new ClusterSnapshot("c", 1, Map.of(1, BROKER_1, 2, BROKER_2),
                Map.of("orders", new TopicMetadata("orders", null, Errors.NONE, false, partitions)), 0L);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long append(RecordAccumulator acc, TopicPartition tp, long ts, String key, String value, Header[] headers,
                               List<CompletableFuture<RecordMetadata>> futures) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        futures.add(f);
        byte[] k = key == null ? null : utf8(key);
        byte[] v = utf8(value);
        int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                org.apache.kafka.common.record.CompressionType.NONE, k, v, headers);
        acc.append(tp, ts, k, v, headers, f, size, 0L);
        return size;
    }

    @Test
    void recordsOfOnePartitionShareABatchThatDecodesWithKeysValuesHeadersAndTimestamps() {
        RecordAccumulator acc = new RecordAccumulator(16_384, Compression.NONE, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Header[] headers = {new RecordHeader("trace", utf8("t" + i)), new RecordHeader("empty", null)};
            append(acc, P0, 1_000 + i, i == 2 ? null : "k" + i, "v" + i, headers, futures);
        }
        RecordAccumulator.Drained drained = acc.drain(cluster(), 0L, n -> true, 1_048_576);
        List<ProducerBatch> batches = drained.byLeader().get(BROKER_1);
        assertEquals(1, batches.size());
        ProducerBatch batch = batches.get(0);
        assertEquals(P0, batch.topicPartition);

        List<Record> records = new ArrayList<>();
        batch.records().records().forEach(records::add);
        assertEquals(5, records.size());
        for (int i = 0; i < 5; i++) {
            Record r = records.get(i);
            assertEquals(i, r.offset(), "offsets are relative to base offset 0");
            assertEquals(1_000 + i, r.timestamp());
            if (i == 2) {
                assertTrue(!r.hasKey());
            } else {
                assertEquals("k" + i, new String(Utils.toArray(r.key()), StandardCharsets.UTF_8));
            }
            assertEquals("v" + i, new String(Utils.toArray(r.value()), StandardCharsets.UTF_8));
            assertEquals(2, r.headers().length);
            assertEquals("trace", r.headers()[0].key());
            assertArrayEquals(utf8("t" + i), r.headers()[0].value());
            assertEquals(null, r.headers()[1].value());
        }

        // The broker assigned base offset 40: record i is at 40 + i, with its own create time.
        batch.complete(40, -1);
        for (int i = 0; i < 5; i++) {
            assertEquals(new RecordMetadata("orders", 0, 40 + i, 1_000 + i), futures.get(i).join());
        }
    }

    @Test
    void batchSizeSplitsAPartitionsRecordsIntoSeveralBatches() {
        int batchSize = 1_024;
        RecordAccumulator acc = new RecordAccumulator(batchSize, Compression.NONE, 60_000);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        String value = "x".repeat(100);
        for (int i = 0; i < 40; i++) {
            append(acc, P0, i, "key-" + i, value, new Header[0], futures);
        }
        // linger.ms is a minute, but full batches are ready at once; the last, partly filled one is not.
        List<ProducerBatch> drained = new ArrayList<>();
        RecordAccumulator.Drained d;
        while (!(d = acc.drain(cluster(), 0L, n -> true, 1_048_576)).byLeader().isEmpty()) {
            drained.addAll(d.byLeader().get(BROKER_1));
        }
        assertTrue(drained.size() >= 3, "40 records of ~130 bytes need several 1 KiB batches, got " + drained.size());
        int next = 0;
        for (ProducerBatch b : drained) {
            MemoryRecords records = b.records();
            assertTrue(records.sizeInBytes() <= batchSize, "batch of " + records.sizeInBytes() + " bytes exceeds batch.size");
            for (Record r : records.records()) {
                assertEquals("key-" + next, new String(Utils.toArray(r.key()), StandardCharsets.UTF_8));
                next++;
            }
        }
        assertEquals(60_000L, d.nextCheckMs(), "the open batch becomes ready when linger.ms expires");
        // Flushing makes the last batch ready regardless of linger.ms; together all 40 records, in order.
        acc.beginFlush();
        List<ProducerBatch> rest = acc.drain(cluster(), 1L, n -> true, 1_048_576).byLeader().get(BROKER_1);
        acc.endFlush();
        assertEquals(1, rest.size());
        for (Record r : rest.get(0).records().records()) {
            assertEquals("key-" + next, new String(Utils.toArray(r.key()), StandardCharsets.UTF_8));
            next++;
        }
        assertEquals(40, next);
    }

    @Test
    void aRecordLargerThanBatchSizeTravelsAloneInItsOwnBatch() {
        RecordAccumulator acc = new RecordAccumulator(256, Compression.NONE, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        append(acc, P0, 1, "big", "y".repeat(2_000), new Header[0], futures);
        append(acc, P0, 2, "small", "z", new Header[0], futures);
        List<ProducerBatch> first = acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1);
        List<ProducerBatch> second = acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1);
        assertEquals(1, first.get(0).recordCount());
        assertEquals(2_000, first.get(0).records().records().iterator().next().valueSize());
        assertEquals(1, second.get(0).recordCount());
    }

    @Test
    void drainGroupsBatchesByLeaderAndReportsPartitionsWithoutOne() {
        RecordAccumulator acc = new RecordAccumulator(16_384, Compression.NONE, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        append(acc, P0, 1, "a", "a", new Header[0], futures);
        append(acc, P1, 2, "b", "b", new Header[0], futures);
        TopicPartition leaderless = new TopicPartition("orders", 2);
        append(acc, leaderless, 3, "c", "c", new Header[0], futures);

        RecordAccumulator.Drained d = acc.drain(cluster(), 0L, n -> true, 1_048_576);
        assertEquals(List.of(P0), d.byLeader().get(BROKER_1).stream().map(b -> b.topicPartition).toList());
        assertEquals(List.of(P1), d.byLeader().get(BROKER_2).stream().map(b -> b.topicPartition).toList());
        assertEquals(java.util.Set.of(leaderless), d.unknownLeaders());

        // A broker at its in-flight limit gets nothing; its batch stays queued for later.
        append(acc, P0, 4, "d", "d", new Header[0], futures);
        append(acc, P1, 5, "e", "e", new Header[0], futures);
        RecordAccumulator.Drained limited = acc.drain(cluster(), 0L, n -> n.id() != 1, 1_048_576);
        assertEquals(null, limited.byLeader().get(BROKER_1));
        assertEquals(1, limited.byLeader().get(BROKER_2).size());
        assertEquals(1, acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1).size());
    }

    @Test
    void aRetriedBatchGoesBackToTheHeadAndWaitsOutItsBackoff() {
        RecordAccumulator acc = new RecordAccumulator(16_384, Compression.NONE, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        append(acc, P0, 1, "first", "1", new Header[0], futures);
        ProducerBatch sent = acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1).get(0);
        append(acc, P0, 2, "second", "2", new Header[0], futures);

        sent.prepareRetry(500L, null);
        acc.reenqueue(sent);
        RecordAccumulator.Drained during = acc.drain(cluster(), 100L, n -> true, 1_048_576);
        assertTrue(during.byLeader().isEmpty(), "nothing overtakes the retried batch during its backoff");
        assertEquals(500L, during.nextCheckMs());
        ProducerBatch retried = acc.drain(cluster(), 500L, n -> true, 1_048_576).byLeader().get(BROKER_1).get(0);
        assertEquals(sent, retried);
        assertEquals(1, retried.attempts());
    }

    @Test
    void queuedBatchesPastTheDeliveryTimeoutExpire() {
        RecordAccumulator acc = new RecordAccumulator(16_384, Compression.NONE, 60_000);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        append(acc, P0, 1, "a", "a", new Header[0], futures);
        assertTrue(acc.expire(999L, 1_000L).isEmpty());
        assertEquals(1_000L, acc.nextExpiryMs(1_000L));
        List<ProducerBatch> expired = acc.expire(1_000L, 1_000L);
        assertEquals(1, expired.size());
        assertEquals(P0, expired.get(0).topicPartition);
        assertTrue(acc.hasIncomplete(), "expired batches stay incomplete until failed");
        expired.get(0).fail(new io.tributary.client.common.TimeoutException("expired"));
        acc.completed(expired.get(0));
        assertTrue(!acc.hasIncomplete());
        assertTrue(futures.get(0).isCompletedExceptionally());
    }

    @Test
    void batchesFailingTogetherGoBackInCreationOrder() {
        RecordAccumulator acc = new RecordAccumulator(16_384, Compression.NONE, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        append(acc, P0, 1, "a", "1", new Header[0], futures);
        ProducerBatch first = acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1).get(0);
        append(acc, P0, 2, "b", "2", new Header[0], futures);
        ProducerBatch second = acc.drain(cluster(), 0L, n -> true, 1_048_576).byLeader().get(BROKER_1).get(0);
        append(acc, P0, 3, "c", "3", new Header[0], futures);

        // The broker dropped the connection: responses fail in any order, here the later batch first.
        second.prepareRetry(0L, null);
        acc.reenqueue(second);
        first.prepareRetry(0L, null);
        acc.reenqueue(first);

        List<String> keys = new ArrayList<>();
        RecordAccumulator.Drained d;
        while (!(d = acc.drain(cluster(), 1L, n -> true, 1_048_576)).byLeader().isEmpty()) {
            for (Record r : d.byLeader().get(BROKER_1).get(0).records().records()) {
                keys.add(new String(Utils.toArray(r.key()), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("a", "b", "c"), keys);
    }
}
