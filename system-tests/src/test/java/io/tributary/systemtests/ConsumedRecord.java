package io.tributary.systemtests;

import io.tributary.client.common.Header;
import io.tributary.client.consumer.ConsumerRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumed record as the tests compare it, whichever client read it (client-sdk, the official Java
 * consumer), so one checker serves both.
 */
public record ConsumedRecord(int partition, long offset, String key, String value, long timestamp, List<Header> headers) {

    public static ConsumedRecord of(ConsumerRecord<String, String> r) {
        return new ConsumedRecord(r.partition(), r.offset(), r.key(), r.value(), r.timestamp(), r.headers());
    }

    public static ConsumedRecord of(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : r.headers()) {
            headers.add(new Header(h.key(), h.value()));
        }
        return new ConsumedRecord(r.partition(), r.offset(), r.key(), r.value(), r.timestamp(), headers);
    }

    /** What differs between this record and the expected one, or null if they are the same. */
    public String differenceFrom(NumberedRecord expected) {
        List<String> diffs = new ArrayList<>();
        if (!java.util.Objects.equals(key, expected.key())) {
            diffs.add("key '" + key + "' != '" + expected.key() + "'");
        }
        if (!java.util.Objects.equals(value, expected.value())) {
            diffs.add("value '" + value + "' != '" + expected.value() + "'");
        }
        if (timestamp != expected.timestamp()) {
            diffs.add("timestamp " + timestamp + " != " + expected.timestamp());
        }
        if (!headers.equals(expected.headers())) {
            diffs.add("headers " + headers + " != " + expected.headers());
        }
        return diffs.isEmpty() ? null : "record at partition " + partition + " offset " + offset + ": " + String.join(", ", diffs);
    }
}
