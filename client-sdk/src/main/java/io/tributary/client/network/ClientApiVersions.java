package io.tributary.client.network;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.EnumMap;
import java.util.Map;

/**
 * The API versions this client implements and tests. The upper bounds keep topics named by NAME:
 * Produce v13+ and Fetch v13+ address topics by ID only, Metadata v13 adds nothing we use.
 * Lower bounds are the oldest versions kafka-clients 4.1's codec still knows.
 */
public final class ClientApiVersions {
    private static final Map<ApiKeys, VersionRange> SUPPORTED = new EnumMap<>(ApiKeys.class);

    static {
        SUPPORTED.put(ApiKeys.API_VERSIONS, VersionRange.of(0, 3));
        SUPPORTED.put(ApiKeys.METADATA, VersionRange.of(1, 12));
        SUPPORTED.put(ApiKeys.PRODUCE, VersionRange.of(3, 12));
        SUPPORTED.put(ApiKeys.FETCH, VersionRange.of(4, 12));
        SUPPORTED.put(ApiKeys.LIST_OFFSETS, VersionRange.of(1, 8));
        SUPPORTED.put(ApiKeys.CREATE_TOPICS, VersionRange.of(2, 7));
        SUPPORTED.put(ApiKeys.DELETE_TOPICS, VersionRange.of(1, 6));
        // v6 adds two-phase-commit fields for transactions (KIP-939); an idempotent producer needs none of them.
        SUPPORTED.put(ApiKeys.INIT_PRODUCER_ID, VersionRange.of(0, 5));
        // The classic consumer-group protocol (Consumer) and group administration (Admin). OffsetFetch from v2,
        // the first that asks for all of a group's offsets; OffsetCommit v10 and OffsetFetch v10 name topics by id only.
        SUPPORTED.put(ApiKeys.FIND_COORDINATOR, VersionRange.of(1, 6));
        SUPPORTED.put(ApiKeys.JOIN_GROUP, VersionRange.of(2, 9));
        SUPPORTED.put(ApiKeys.SYNC_GROUP, VersionRange.of(1, 5));
        SUPPORTED.put(ApiKeys.HEARTBEAT, VersionRange.of(1, 4));
        SUPPORTED.put(ApiKeys.LEAVE_GROUP, VersionRange.of(1, 5));
        SUPPORTED.put(ApiKeys.OFFSET_COMMIT, VersionRange.of(2, 9));
        SUPPORTED.put(ApiKeys.OFFSET_FETCH, VersionRange.of(2, 9));
        SUPPORTED.put(ApiKeys.LIST_GROUPS, VersionRange.of(0, 5));
        SUPPORTED.put(ApiKeys.DESCRIBE_GROUPS, VersionRange.of(0, 5));
        SUPPORTED.put(ApiKeys.DELETE_GROUPS, VersionRange.of(0, 2));
        SUPPORTED.put(ApiKeys.OFFSET_DELETE, VersionRange.of(0, 0));
        // Admin: configs, partitions and records (admin.ConfigRequests, PartitionRequests).
        SUPPORTED.put(ApiKeys.DESCRIBE_CONFIGS, VersionRange.of(1, 4));
        SUPPORTED.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, VersionRange.of(0, 1));
        SUPPORTED.put(ApiKeys.CREATE_PARTITIONS, VersionRange.of(0, 3));
        SUPPORTED.put(ApiKeys.DELETE_RECORDS, VersionRange.of(0, 2));
        // Admin: partition sizes on disk (admin.OffsetAndLogDirRequests); v1 is the oldest Kafka 4 brokers answer.
        SUPPORTED.put(ApiKeys.DESCRIBE_LOG_DIRS, VersionRange.of(1, 4));
    }

    private ClientApiVersions() {
    }

    public static Map<ApiKeys, VersionRange> supported() {
        return Map.copyOf(SUPPORTED);
    }

    public static VersionRange rangeOf(ApiKeys api) {
        VersionRange range = SUPPORTED.get(api);
        if (range == null) {
            throw new IllegalArgumentException("The client does not implement API " + api);
        }
        return range;
    }
}
