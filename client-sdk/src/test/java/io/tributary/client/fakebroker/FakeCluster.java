package io.tributary.client.fakebroker;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A cluster of {@link FakeBroker}s for client tests: metadata naming the leader of each partition (which a
 * test can move), InitProducerId handing out ids from 1000 (after scripted errors), and Produce appending to
 * a {@link FakePartitionLog} shared by all brokers, so a new leader knows what the old one wrote, as with
 * replication. Every batch received is kept, bytes included, with the answer it got. For consumer tests, a
 * {@link FakeGroupCoordinator} answers the group APIs, Fetch answers "no records" and ListOffsets offset 0.
 */
public final class FakeCluster implements AutoCloseable {
    /** A batch as it arrived at a broker. */
    public record ReceivedBatch(int brokerId, TopicPartition partition, long producerId, short producerEpoch,
                                int baseSequence, List<String> values, byte[] bytes) {
    }

    /** A received batch and the error code it was answered with (NONE for a write or a recognised retry). */
    public record Exchange(ReceivedBatch batch, Errors answer) {
    }

    /**
     * What the leader does with a batch: whether to write it, the code to answer with (a write answered with
     * an error is NOT_ENOUGH_REPLICAS_AFTER_APPEND's case), and whether to drop the connection instead of answering.
     */
    public record Decision(boolean write, Errors answer, boolean dropConnection) {
        public static final Decision APPEND = new Decision(true, Errors.NONE, false);
        /** Writes the batch and closes the connection instead of answering: the acknowledgement is lost. */
        public static final Decision APPEND_THEN_DROP_CONNECTION = new Decision(true, Errors.NONE, true);

        public static Decision refuse(Errors error) {
            return new Decision(false, error, false);
        }
    }

    @FunctionalInterface
    public interface ProduceHook {
        Decision decide(ReceivedBatch batch);
    }

    private final Map<Integer, FakeBroker> brokers = new LinkedHashMap<>();
    private final Map<String, Integer> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> leaders = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> leaderEpochs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, FakePartitionLog> logs = new ConcurrentHashMap<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    /** Answers for the next InitProducerId requests; NETWORK_EXCEPTION stands for dropping the connection. */
    private final Queue<Errors> initProducerIdScript = new ConcurrentLinkedQueue<>();
    private final AtomicInteger initProducerIdRequests = new AtomicInteger();
    private final AtomicLong nextProducerId = new AtomicLong(1_000);
    private volatile ProduceHook produceHook = b -> Decision.APPEND;
    private final FakeGroupCoordinator groups = new FakeGroupCoordinator(id -> brokers.get(id).port());

    private FakeCluster() {
    }

    /** Brokers 1..count, each listening on its own port. */
    public static FakeCluster start(int count) throws IOException {
        FakeCluster c = new FakeCluster();
        for (int id = 1; id <= count; id++) {
            c.brokers.put(id, new FakeBroker(id, c::handle));
        }
        return c;
    }

    /** A topic whose partition i is led by broker {@code leaders[i]}. */
    public void createTopic(String name, int... leaderIds) {
        for (int i = 0; i < leaderIds.length; i++) {
            TopicPartition tp = new TopicPartition(name, i);
            logs.put(tp, new FakePartitionLog());
            setLeader(tp, leaderIds[i]);
        }
        topics.put(name, leaderIds.length);
    }

    /** Moves leadership (a new leader epoch); the log and its producer state stay, as replicated. */
    public void setLeader(TopicPartition tp, int brokerId) {
        leaders.put(tp, brokerId);
        leaderEpochs.merge(tp, 0, (old, zero) -> old + 1);
    }

    public FakeBroker broker(int id) {
        return brokers.get(id);
    }

    public String bootstrap(int... ids) {
        return Arrays.stream(ids).mapToObj(id -> "127.0.0.1:" + brokers.get(id).port()).collect(Collectors.joining(","));
    }

    /** The group coordinator side (FindCoordinator, JoinGroup, ..., OffsetFetch). */
    public FakeGroupCoordinator groups() {
        return groups;
    }

    public void onProduce(ProduceHook hook) {
        this.produceHook = hook;
    }

    public void scriptInitProducerId(Errors... answers) {
        initProducerIdScript.addAll(List.of(answers));
    }

    public int initProducerIdRequests() {
        return initProducerIdRequests.get();
    }

    public FakePartitionLog log(TopicPartition tp) {
        return logs.get(tp);
    }

    public List<String> values(TopicPartition tp) {
        return logs.get(tp).values();
    }

    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public synchronized List<Exchange> exchanges(TopicPartition tp) {
        return exchanges.stream().filter(e -> e.batch().partition().equals(tp)).toList();
    }

    private FakeBroker.Reply handle(int brokerId, RequestHeader header, ApiMessage request) {
        return switch (header.apiKey()) {
            case API_VERSIONS -> new FakeBroker.Reply(apiVersions(), false);
            case METADATA -> new FakeBroker.Reply(metadata((MetadataRequestData) request), false);
            case INIT_PRODUCER_ID -> initProducerId();
            case PRODUCE -> produce(brokerId, (ProduceRequestData) request);
            case FETCH -> new FakeBroker.Reply(emptyFetch((FetchRequestData) request), false);
            case LIST_OFFSETS -> new FakeBroker.Reply(logStartOffsets((ListOffsetsRequestData) request), false);
            case FIND_COORDINATOR, JOIN_GROUP, SYNC_GROUP, HEARTBEAT, LEAVE_GROUP, OFFSET_COMMIT, OFFSET_FETCH ->
                    new FakeBroker.Reply(groups.handle(brokerId, header, request), false);
            default -> throw new IllegalStateException("The fake broker does not serve " + header.apiKey());
        };
    }

    private static ApiVersionsResponseData apiVersions() {
        ApiVersionsResponseData data = new ApiVersionsResponseData();
        int[][] ranges = {{ApiKeys.API_VERSIONS.id, 0, 3}, {ApiKeys.METADATA.id, 0, 12}, {ApiKeys.PRODUCE.id, 3, 12},
                {ApiKeys.INIT_PRODUCER_ID.id, 0, 5}, {ApiKeys.FETCH.id, 4, 12}, {ApiKeys.LIST_OFFSETS.id, 1, 8},
                {ApiKeys.FIND_COORDINATOR.id, 0, 6}, {ApiKeys.JOIN_GROUP.id, 0, 9}, {ApiKeys.SYNC_GROUP.id, 0, 5},
                {ApiKeys.HEARTBEAT.id, 0, 4}, {ApiKeys.LEAVE_GROUP.id, 0, 5}, {ApiKeys.OFFSET_COMMIT.id, 2, 9},
                {ApiKeys.OFFSET_FETCH.id, 1, 9}};
        for (int[] r : ranges) {
            data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) r[0])
                    .setMinVersion((short) r[1]).setMaxVersion((short) r[2]));
        }
        return data;
    }

    private MetadataResponseData metadata(MetadataRequestData request) {
        MetadataResponseData data = new MetadataResponseData().setClusterId("fake").setControllerId(1);
        brokers.values().forEach(b -> data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(b.id()).setHost("127.0.0.1").setPort(b.port())));
        List<String> names = request.topics() == null ? List.copyOf(topics.keySet())
                : request.topics().stream().map(MetadataRequestData.MetadataRequestTopic::name).toList();
        for (String name : names) {
            MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic().setName(name);
            Integer count = topics.get(name);
            if (count == null) {
                topic.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            } else {
                for (int i = 0; i < count; i++) {
                    TopicPartition tp = new TopicPartition(name, i);
                    int leader = leaders.get(tp);
                    topic.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(i)
                            .setLeaderId(leader).setLeaderEpoch(leaderEpochs.get(tp))
                            .setReplicaNodes(List.of(leader)).setIsrNodes(List.of(leader)));
                }
            }
            data.topics().add(topic);
        }
        return data;
    }

    /** No records anywhere (consumer tests here are about the group, not the data), after a short long-poll. */
    private static FetchResponseData emptyFetch(FetchRequestData request) {
        try {
            Thread.sleep(Math.min(50, Math.max(0, request.maxWaitMs())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FetchResponseData response = new FetchResponseData();
        for (FetchRequestData.FetchTopic t : request.topics()) {
            FetchResponseData.FetchableTopicResponse rt = new FetchResponseData.FetchableTopicResponse().setTopic(t.topic());
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                rt.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p.partition())
                        .setHighWatermark(0).setLastStableOffset(0).setLogStartOffset(0).setRecords(MemoryRecords.EMPTY));
            }
            response.responses().add(rt);
        }
        return response;
    }

    private static ListOffsetsResponseData logStartOffsets(ListOffsetsRequestData request) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse rt = new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(t.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                rt.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                        .setTimestamp(-1).setOffset(0));
            }
            response.topics().add(rt);
        }
        return response;
    }

    private FakeBroker.Reply initProducerId() {
        initProducerIdRequests.incrementAndGet();
        Errors scripted = initProducerIdScript.poll();
        if (scripted == Errors.NETWORK_EXCEPTION) {
            return new FakeBroker.Reply(null, true);
        }
        InitProducerIdResponseData data = new InitProducerIdResponseData();
        if (scripted != null && scripted != Errors.NONE) {
            return new FakeBroker.Reply(data.setErrorCode(scripted.code()).setProducerId(-1).setProducerEpoch((short) -1), false);
        }
        return new FakeBroker.Reply(data.setProducerId(nextProducerId.getAndIncrement()).setProducerEpoch((short) 0), false);
    }

    private FakeBroker.Reply produce(int brokerId, ProduceRequestData request) {
        ProduceResponseData response = new ProduceResponseData();
        boolean drop = false;
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse().setName(topic.name());
            for (ProduceRequestData.PartitionProduceData p : topic.partitionData()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.index());
                MemoryRecords records = (MemoryRecords) p.records();
                MutableRecordBatch batch = records.batches().iterator().next();
                batch.ensureValid();
                List<String> values = new ArrayList<>();
                for (Record r : batch) {
                    values.add(new String(Utils.toArray(r.value()), StandardCharsets.UTF_8));
                }
                ReceivedBatch received = new ReceivedBatch(brokerId, tp, batch.producerId(), batch.producerEpoch(),
                        batch.baseSequence(), values, Utils.toArray(records.buffer().duplicate()));
                Errors answer;
                long baseOffset = -1;
                if (!Integer.valueOf(brokerId).equals(leaders.get(tp))) {
                    answer = Errors.NOT_LEADER_OR_FOLLOWER;
                } else {
                    Decision d = produceHook.decide(received);
                    drop |= d.dropConnection();
                    if (d.write()) {
                        FakePartitionLog.Appended appended = logs.get(tp).append(batch, values);
                        answer = appended.error() == Errors.NONE ? d.answer() : appended.error();
                        baseOffset = answer == Errors.NONE ? appended.baseOffset() : -1;
                    } else {
                        answer = d.answer();
                    }
                }
                synchronized (this) {
                    exchanges.add(new Exchange(received, answer));
                }
                topicResponse.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(p.index())
                        .setErrorCode(answer.code()).setBaseOffset(baseOffset).setLogAppendTimeMs(-1));
            }
            response.responses().add(topicResponse);
        }
        return new FakeBroker.Reply(request.acks() == 0 ? null : response, drop);
    }

    @Override
    public void close() {
        brokers.values().forEach(FakeBroker::stop);
    }
}
