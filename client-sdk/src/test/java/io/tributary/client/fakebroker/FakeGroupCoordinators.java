package io.tributary.client.fakebroker;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brokers 1..n on real sockets for admin group tests: ApiVersions (the group APIs in Kafka 3.9's ranges,
 * which a test can narrow to reach older versions) and Metadata (the brokers, no topics) are answered
 * here; every group request goes to the test's {@link GroupHandler}, which plays the coordinators.
 */
public final class FakeGroupCoordinators implements AutoCloseable {
    /** Answers one group request; throwing drops the connection. */
    @FunctionalInterface
    public interface GroupHandler {
        ApiMessage answer(int brokerId, short version, ApiMessage request);
    }

    private final Map<Integer, FakeBroker> brokers = new LinkedHashMap<>();
    private final Map<ApiKeys, short[]> advertised = new EnumMap<>(ApiKeys.class);
    private final Map<ApiKeys, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<ApiKeys, List<Short>> versions = new ConcurrentHashMap<>();
    private volatile GroupHandler handler = (id, v, r) -> {
        throw new IllegalStateException("no group handler");
    };

    private FakeGroupCoordinators() {
        advertise(ApiKeys.API_VERSIONS, 0, 3);
        advertise(ApiKeys.METADATA, 0, 12);
        advertise(ApiKeys.FIND_COORDINATOR, 0, 5);
        advertise(ApiKeys.LIST_GROUPS, 0, 5);
        advertise(ApiKeys.DESCRIBE_GROUPS, 0, 5);
        advertise(ApiKeys.OFFSET_FETCH, 0, 9);
        advertise(ApiKeys.OFFSET_COMMIT, 0, 9);
        advertise(ApiKeys.DELETE_GROUPS, 0, 2);
        advertise(ApiKeys.OFFSET_DELETE, 0, 0);
    }

    public static FakeGroupCoordinators start(int count) throws IOException {
        FakeGroupCoordinators c = new FakeGroupCoordinators();
        for (int id = 1; id <= count; id++) {
            c.brokers.put(id, new FakeBroker(id, c::handle));
        }
        return c;
    }

    /** Changes the version range the brokers advertise for an API (set before the client connects). */
    public void advertise(ApiKeys api, int min, int max) {
        advertised.put(api, new short[]{(short) min, (short) max});
    }

    public void onGroupRequest(GroupHandler handler) {
        this.handler = handler;
    }

    public int received(ApiKeys api) {
        return received.getOrDefault(api, new AtomicInteger()).get();
    }

    /** The versions at which requests of an API arrived, in order. */
    public List<Short> versions(ApiKeys api) {
        return List.copyOf(versions.getOrDefault(api, List.of()));
    }

    public String bootstrap() {
        return "127.0.0.1:" + brokers.get(1).port();
    }

    public FakeBroker broker(int id) {
        return brokers.get(id);
    }

    private FakeBroker.Reply handle(int brokerId, RequestHeader header, ApiMessage request) {
        ApiKeys api = header.apiKey();
        received.computeIfAbsent(api, k -> new AtomicInteger()).incrementAndGet();
        versions.computeIfAbsent(api, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(header.apiVersion());
        if (api == ApiKeys.API_VERSIONS) {
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            advertised.forEach((k, range) -> data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(k.id).setMinVersion(range[0]).setMaxVersion(range[1])));
            return new FakeBroker.Reply(data, false);
        }
        if (api == ApiKeys.METADATA) {
            MetadataResponseData data = new MetadataResponseData().setClusterId("fake").setControllerId(1);
            brokers.values().forEach(b -> data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(b.id()).setHost("127.0.0.1").setPort(b.port())));
            return new FakeBroker.Reply(data, false);
        }
        try {
            return new FakeBroker.Reply(handler.answer(brokerId, header.apiVersion(), request), false);
        } catch (RuntimeException e) {
            return new FakeBroker.Reply(null, true);
        }
    }

    @Override
    public void close() {
        brokers.values().forEach(FakeBroker::stop);
    }
}
