package io.tributary.client.network;

import io.tributary.client.common.ApiException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.EnumMap;
import java.util.Map;

/**
 * For each API, the version to use with one broker: the highest version inside both the client's
 * range and the range the broker advertised in ApiVersions. APIs without an overlap are absent, and
 * using them fails with UNSUPPORTED_VERSION before anything is sent.
 */
public final class NegotiatedVersions {
    private final String brokerLabel;
    private final Map<ApiKeys, Short> versions;

    private NegotiatedVersions(String brokerLabel, Map<ApiKeys, Short> versions) {
        this.brokerLabel = brokerLabel;
        this.versions = versions;
    }

    public static NegotiatedVersions negotiate(String brokerLabel, ApiVersionsResponseData response) {
        Map<ApiKeys, Short> versions = new EnumMap<>(ApiKeys.class);
        for (ApiVersionsResponseData.ApiVersion advertised : response.apiKeys()) {
            if (!ApiKeys.hasId(advertised.apiKey())) {
                continue; // an API newer than our codec: we cannot use it anyway
            }
            ApiKeys api = ApiKeys.forId(advertised.apiKey());
            VersionRange ours = ClientApiVersions.supported().get(api);
            if (ours == null) {
                continue;
            }
            short high = (short) Math.min(ours.max(), advertised.maxVersion());
            short low = (short) Math.max(ours.min(), advertised.minVersion());
            if (high >= low) {
                versions.put(api, high);
            }
        }
        return new NegotiatedVersions(brokerLabel, versions);
    }

    public boolean supports(ApiKeys api) {
        return versions.containsKey(api);
    }

    /** @throws ApiException UNSUPPORTED_VERSION when the broker and the client share no version of {@code api} */
    public short versionFor(ApiKeys api) {
        Short v = versions.get(api);
        if (v == null) {
            throw new ApiException(Errors.UNSUPPORTED_VERSION, brokerLabel + " supports no version of " + api
                    + " in the client's range " + ClientApiVersions.supported().get(api));
        }
        return v;
    }

    @Override
    public String toString() {
        return versions.toString();
    }
}
