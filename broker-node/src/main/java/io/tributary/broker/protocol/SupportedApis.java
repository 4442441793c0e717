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

    private SupportedApis(Map<ApiKeys, VersionRange> ranges) {
        this.ranges = Collections.unmodifiableMap(ranges);
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
                .setMinVersion(range.min())
                .setMaxVersion(range.max())));
        return collection;
    }

    public static final class Builder {
        private final Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);

        public Builder add(ApiKeys api, int min, int max) {
            if (min < api.oldestVersion() || max > api.latestVersion() || min > max) {
                throw new IllegalArgumentException(api + " " + min + "-" + max + " is outside what the codec knows: "
                        + api.oldestVersion() + "-" + api.latestVersion());
            }
            ranges.put(api, new VersionRange((short) min, (short) max));
            return this;
        }

        public SupportedApis build() {
            return new SupportedApis(new EnumMap<>(ranges));
        }
    }
}
