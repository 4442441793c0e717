package io.tributary.systemtests;

import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of a {@code --describe} offsets table, as kafka-consumer-groups and bin/consumer-groups both print
 * it: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID, "-" for unknown.
 */
record GroupOffsetsTable(Map<Integer, Row> rows) {

    /** One partition's line; null for a "-" column. */
    record Row(String group, String topic, int partition, Long current, Long logEnd, Long lag, String consumerId) {
    }

    /** The rows of one topic; other lines (headers, notes, blank lines) are skipped. */
    static GroupOffsetsTable parse(String output, String topic) {
        Map<Integer, Row> rows = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] c = line.trim().split("\\s+");
            if (c.length < 7 || !c[1].equals(topic) || !c[2].matches("\\d+")) {
                continue;
            }
            Row row = new Row(c[0], c[1], Integer.parseInt(c[2]), number(c[3]), number(c[4]), number(c[5]), c[6]);
            rows.put(row.partition(), row);
        }
        return new GroupOffsetsTable(rows);
    }

    long totalLag() {
        return rows.values().stream().mapToLong(r -> r.lag() == null ? 0 : r.lag()).sum();
    }

    long totalCurrent() {
        return rows.values().stream().mapToLong(r -> r.current() == null ? 0 : r.current()).sum();
    }

    private static Long number(String column) {
        return column.equals("-") ? null : Long.parseLong(column);
    }
}
