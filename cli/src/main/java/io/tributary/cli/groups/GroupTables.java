package io.tributary.cli.groups;

import io.tributary.client.admin.GroupDescription;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tables that {@code consumer-groups} prints, laid out as kafka-consumer-groups lays them out: a header
 * line, then one line per row; text columns as wide as their longest value (at least 15), the last one unpadded.
 */
public final class GroupTables {
    private static final int MIN_WIDTH = 15;

    private GroupTables() {
    }

    /**
     * The rows of --describe: first each member's assigned partitions, then the partitions the group
     * committed but nobody is assigned now; each group of rows in topic and partition order.
     */
    public static List<OffsetRow> offsetRows(GroupDescription group, Map<TopicPartition, Long> committed,
                                             Map<TopicPartition, Long> logEnd) {
        List<OffsetRow> rows = new ArrayList<>();
        Set<TopicPartition> assigned = new HashSet<>();
        List<MemberDescription> members = new ArrayList<>(group.members());
        members.sort((a, b) -> a.memberId().compareTo(b.memberId()));
        for (MemberDescription m : members) {
            for (TopicPartition tp : m.assignment().stream().sorted().toList()) {
                assigned.add(tp);
                rows.add(new OffsetRow(group.groupId(), tp, committed.get(tp), logEnd.get(tp), m.memberId(), m.host(), m.clientId()));
            }
        }
        new TreeMap<>(committed).forEach((tp, offset) -> {
            if (!assigned.contains(tp)) {
                rows.add(new OffsetRow(group.groupId(), tp, offset, logEnd.get(tp), OffsetRow.NONE, OffsetRow.NONE, OffsetRow.NONE));
            }
        });
        return rows;
    }

    /** GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID */
    public static List<String> offsets(Collection<OffsetRow> rows) {
        int group = width("GROUP", rows, OffsetRow::group);
        int topic = width("TOPIC", rows, r -> r.partition().topic());
        int consumer = width("CONSUMER-ID", rows, OffsetRow::consumerId);
        int host = width("HOST", rows, OffsetRow::host);
        String format = "%-" + group + "s %-" + topic + "s %-10s %-15s %-15s %-15s %-" + consumer + "s %-" + host + "s %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                "CONSUMER-ID", "HOST", "CLIENT-ID"));
        for (OffsetRow r : rows) {
            lines.add(String.format(format, r.group(), r.partition().topic(), r.partition().partition(), orNone(r.committed()),
                    orNone(r.logEnd()), orNone(r.lag()), r.consumerId(), r.host(), r.clientId()));
        }
        return lines;
    }

    /** GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS ASSIGNMENT (the assignment as topic:p,p;topic:p). */
    public static List<String> members(GroupDescription group) {
        List<MemberDescription> members = group.members().stream()
                .sorted((a, b) -> a.memberId().compareTo(b.memberId())).toList();
        int groupWidth = Math.max(MIN_WIDTH, group.groupId().length());
        int consumer = width("CONSUMER-ID", members, MemberDescription::memberId);
        int host = width("HOST", members, MemberDescription::host);
        int client = width("CLIENT-ID", members, MemberDescription::clientId);
        String format = "%-" + groupWidth + "s %-" + consumer + "s %-" + host + "s %-" + client + "s %-12s %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT").stripTrailing());
        for (MemberDescription m : members) {
            lines.add(String.format(format, group.groupId(), m.memberId(), m.host(), m.clientId(), m.assignment().size(),
                    assignment(m.assignment())));
        }
        return lines;
    }

    /** GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS */
    public static List<String> state(GroupDescription group) {
        int groupWidth = Math.max(MIN_WIDTH, group.groupId().length());
        String coordinator = group.coordinator() == null ? OffsetRow.NONE
                : group.coordinator().address() + "  (" + group.coordinator().id() + ")";
        int coordinatorWidth = Math.max(25, coordinator.length());
        String format = "%-" + groupWidth + "s %-" + coordinatorWidth + "s %-20s %-20s %s";
        return List.of(
                String.format(format, "GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"),
                String.format(format, group.groupId(), coordinator, group.protocol().isEmpty() ? OffsetRow.NONE : group.protocol(),
                        group.state(), group.members().size()));
    }

    /** GROUP TOPIC PARTITION NEW-OFFSET, as --reset-offsets prints its plan. */
    public static List<String> newOffsets(String group, Map<TopicPartition, Long> offsets) {
        String format = "%-30s %-30s %-10s %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        new TreeMap<>(offsets).forEach((tp, offset) -> lines.add(String.format(format, group, tp.topic(), tp.partition(), offset)));
        return lines;
    }

    static String assignment(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return OffsetRow.NONE;
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.stream().sorted().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return byTopic.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    private static String orNone(Long value) {
        return value == null ? OffsetRow.NONE : value.toString();
    }

    private static <T> int width(String header, Collection<T> rows, Function<T, String> column) {
        int w = Math.max(MIN_WIDTH, header.length());
        for (T r : rows) {
            w = Math.max(w, column.apply(r).length());
        }
        return w;
    }
}
