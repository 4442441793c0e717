package io.tributary.zk.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of {@code /latest_producer_id_block}: the last block of producer ids handed to a broker.
 * The next block starts after {@link #lastProducerId()}.
 */
public record ProducerIdBlock(
        @JsonProperty("broker_id") int brokerId,
        @JsonProperty("first_producer_id") long firstProducerId,
        @JsonProperty("size") int size) implements ZkRecord {

    @JsonCreator
    public ProducerIdBlock {
        if (firstProducerId < 0) {
            throw new IllegalArgumentException("first_producer_id must be >= 0, got: " + firstProducerId);
        }
        if (size < 1) {
            throw new IllegalArgumentException("producer id block size must be >= 1, got: " + size);
        }
        if (firstProducerId > Long.MAX_VALUE - size + 1) {
            throw new IllegalArgumentException("producer id block starting at " + firstProducerId + " of size " + size
                    + " overflows a long");
        }
    }

    @Override
    @JsonProperty("version")
    public int version() {
        return CURRENT_VERSION;
    }

    public long lastProducerId() {
        return firstProducerId + size - 1;
    }
}
