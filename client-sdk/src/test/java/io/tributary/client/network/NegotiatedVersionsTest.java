package io.tributary.client.network;

import io.tributary.client.common.ApiException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NegotiatedVersionsTest {
    private static ApiVersionsResponseData advertise(Object... keyMinMax) {
        ApiVersionsResponseData data = new ApiVersionsResponseData();
        for (int i = 0; i < keyMinMax.length; i += 3) {
            data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey(((ApiKeys) keyMinMax[i]).id)
                    .setMinVersion(((Integer) keyMinMax[i + 1]).shortValue()).setMaxVersion(((Integer) keyMinMax[i + 2]).shortValue()));
        }
        return data;
    }

    @Test
    void picksTheHighestVersionBothSidesSupport() {
        NegotiatedVersions v = NegotiatedVersions.negotiate("broker-1", advertise(
                ApiKeys.PRODUCE, 3, 13,       // broker newer than us: our max 12
                ApiKeys.FETCH, 4, 8,          // broker older: its max 8
                ApiKeys.METADATA, 0, 12,
                ApiKeys.LIST_OFFSETS, 1, 10,
                ApiKeys.CREATE_TOPICS, 2, 7,
                ApiKeys.DELETE_TOPICS, 1, 6));
        assertEquals(12, v.versionFor(ApiKeys.PRODUCE));
        assertEquals(8, v.versionFor(ApiKeys.FETCH));
        assertEquals(12, v.versionFor(ApiKeys.METADATA));
        assertEquals(8, v.versionFor(ApiKeys.LIST_OFFSETS));
        assertEquals(7, v.versionFor(ApiKeys.CREATE_TOPICS));
        assertEquals(6, v.versionFor(ApiKeys.DELETE_TOPICS));
    }

    @Test
    void anApiWithoutACommonVersionOrNotAdvertisedIsUnsupported() {
        NegotiatedVersions v = NegotiatedVersions.negotiate("broker-9", advertise(ApiKeys.PRODUCE, 13, 13));
        assertFalse(v.supports(ApiKeys.PRODUCE));
        ApiException e = assertThrows(ApiException.class, () -> v.versionFor(ApiKeys.PRODUCE));
        assertEquals(Errors.UNSUPPORTED_VERSION, e.error());
        assertEquals(true, e.getMessage().contains("broker-9"));
        assertThrows(ApiException.class, () -> v.versionFor(ApiKeys.FETCH));
    }
}
