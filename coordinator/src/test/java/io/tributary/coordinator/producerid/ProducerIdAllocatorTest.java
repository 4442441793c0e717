package io.tributary.coordinator.producerid;

import io.tributary.coordinator.ZkTestBase;
import io.tributary.zk.ZkJson;
import io.tributary.zk.model.ProducerIdBlock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerIdAllocatorTest extends ZkTestBase {

    @Test
    void firstBlockStartsAtZeroAndIdsAreConsecutive() throws Exception {
        ProducerIdAllocator allocator = new ProducerIdAllocator(newClient(), 1, 4);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(allocator.nextProducerId());
        }
        assertEquals(LongStream.range(0, 10).boxed().toList(), ids);
        // Three blocks of 4 reserved: the last one is 8..11.
        assertEquals(new ProducerIdBlock(1, 8, 4),
                ZkJson.fromBytes(rootClient().getData().forPath("/tributary/latest_producer_id_block"), ProducerIdBlock.class));
    }

    @Test
    void twoBrokersOnTwoClientsHandOutDisjointIdsAcrossManyBlocks() throws Exception {
        ProducerIdAllocator one = new ProducerIdAllocator(newClient(), 1, 5);
        ProducerIdAllocator two = new ProducerIdAllocator(newClient(), 2, 5);
        int perBroker = 60;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<List<Long>>> tasks = List.of(() -> take(one, perBroker), () -> take(two, perBroker));
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> ids : pool.invokeAll(tasks)) {
                List<Long> list = ids.get();
                assertEquals(perBroker, new HashSet<>(list).size(), "no id twice within a broker");
                all.addAll(list);
            }
            assertEquals(2 * perBroker, all.size(), "no id handed out by both brokers");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestartedBrokerNeverReusesAnId() {
        var zk = newClient();
        ProducerIdAllocator before = new ProducerIdAllocator(zk, 1, 10);
        List<Long> first = take(before, 3); // 0,1,2 from block 0..9
        ProducerIdAllocator after = new ProducerIdAllocator(zk, 1, 10);
        long next = after.nextProducerId();
        assertEquals(List.of(0L, 1L, 2L), first);
        assertEquals(10L, next, "the unused rest of the old block is skipped, never reused");
    }

    private static List<Long> take(ProducerIdAllocator allocator, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = allocator.nextProducerId();
            assertTrue(id >= 0);
            ids.add(id);
        }
        return ids;
    }
}
