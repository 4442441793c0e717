package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link Admin#listOffsets} found, partition by partition, as Kafka's ListOffsetsResult: each asked partition
 * has either an offset or an error (its own broker error, or a timeout when no leader answered for it), so one
 * partition whose leader just died does not cost the answers of the others.
 */
public record ListOffsetsResult(Map<TopicPartition, Long> offsets, Map<TopicPartition, TributaryException> errors) {
    public ListOffsetsResult {
        offsets = Map.copyOf(offsets);
        errors = Map.copyOf(errors);
    }

    /** The offset of one partition, or null when it failed (see {@link #errors}) or was not asked for. */
    public Long offset(TopicPartition tp) {
        return offsets.get(tp);
    }

    /**
     * Every offset, for a caller that wants all or nothing.
     *
     * @throws TributaryException the error of the first failed partition (in partition order)
     */
    public Map<TopicPartition, Long> all() {
        if (!errors.isEmpty()) {
            throw new TreeMap<>(errors).firstEntry().getValue();
        }
        return offsets;
    }
}
