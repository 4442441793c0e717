package io.tributary.broker.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and version ranges this broker implements. ApiVersions advertises exactly this table, and
 * the dispatcher refuses anything outside it, so the two can never disagree.
 */
public final class SupportedApis {

    public record VersionRange(short min, short max) {
        public boolean contains(short version) {
            return version >= min && version <= max;
        }
    }

    private final Map<ApiKeys, VersionRange> ranges;
    private final Map<ApiKeys, Short> advertisedMinimums;

    private SupportedApis(Map<ApiKeys, VersionRange> ranges, Map<ApiKeys, Short> advertisedMinimums) {
        this.ranges = Collections.unmodifiableMap(ranges);
        this.advertisedMinimums = Collections.unmodifiableMap(advertisedMinimums);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean supports(ApiKeys api, short version) {
        VersionRange range = ranges.get(api);
        return range != null && range.contains(version);
    }

    public Map<ApiKeys, VersionRange> ranges() {
        return ranges;
    }

    public ApiVersionCollection toApiVersionCollection() {
        ApiVersionCollection collection = new ApiVersionCollection();
        ranges.forEach((api, range) -> collection.add(new ApiVersion()
                .setApiKey(api.id)
                .setMinVersion(advertisedMinimums.getOrDefault(api, range.min()))
                .setMaxVersion(range.max())));
        return collection;
    }

    public static final class Builder {
        private final Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);
        private final Map<ApiKeys, Short> advertisedMinimums = new EnumMap<>(ApiKeys.class);

        public Builder add(ApiKeys api, int min, int max) {
            if (min < api.oldestVersion() || max > api.latestVersion() || min > max) {
                throw new IllegalArgumentException(api + " " + min + "-" + max + " is outside what the codec knows: "
                        + api.oldestVersion() + "-" + api.latestVersion());
            }
            ranges.put(api, new VersionRange((short) min, (short) max));
            return this;
        }

        /**
         * Advertises versions below the implemented minimum without serving them. librdkafka (kcat) 2.0
         * decides whether it may compress with gzip and snappy from an advertised Produce v0, and Kafka 4
         * brokers advertise Produce v0-v2 for that reason only, refusing such requests (KAFKA-18659).
         */
        public Builder advertiseFrom(ApiKeys api, int advertisedMin) {
            VersionRange range = ranges.get(api);
            if (range == null || advertisedMin > range.min()) {
                throw new IllegalArgumentException(api + " must be registered with a minimum >= " + advertisedMin);
            }
            advertisedMinimums.put(api, (short) advertisedMin);
            return this;
        }

        public SupportedApis build() {
            return new SupportedApis(new EnumMap<>(ranges), new EnumMap<>(advertisedMinimums));
        }
    }
}
