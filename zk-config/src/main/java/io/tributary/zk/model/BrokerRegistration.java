package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * Data of the ephemeral znode {@code /brokers/ids/<id>}.
 *
 * @param rack        the broker's rack ({@code broker.rack}), or null when unset
 * @param endpoints   advertised listeners, e.g. {@code "PLAINTEXT://host:port"}
 * @param startTimeMs wall-clock time the broker process started
 */
public record BrokerRegistration(
        @JsonProperty("broker_id") int brokerId,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("rack") String rack,
        @JsonProperty("endpoints") List<String> endpoints,
        @JsonProperty("start_time_ms") long startTimeMs) implements ZkRecord {

    @JsonCreator
    public BrokerRegistration {
        if (brokerId < 0) {
            throw new IllegalArgumentException("broker id must be >= 0, got: " + brokerId);
        }
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got: " + port);
        }
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }

    /** host:port, as operators and error messages name a broker. */
    public String address() {
        return host + ":" + port;
    }
}
