package io.tributary.cli.groups;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.GroupDescription;
import io.tributary.client.admin.GroupListing;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.TopicPartition;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What each consumer-groups action does with the admin client and the offsets reader, printing tables on
 * {@code out} and notes and warnings on {@code err}. A failure the operator must see is thrown with a
 * message that names the group (or topic) and the reason; the tool prints it and exits with 1.
 */
public final class GroupActions {
    /** Which table --describe prints. */
    public enum View { OFFSETS, MEMBERS, STATE }

    private final Admin admin;
    private final GroupOffsetsReader reader;
    private final PrintWriter out;
    private final PrintWriter err;

    public GroupActions(Admin admin, GroupOffsetsReader reader, PrintWriter out, PrintWriter err) {
        this.admin = admin;
        this.reader = reader;
        this.out = out;
        this.err = err;
    }

    public void list(boolean withState) {
        List<GroupListing> groups = admin.listGroups().stream().filter(GroupListing::isConsumerGroup).toList();
        if (!withState) {
            groups.forEach(g -> out.println(g.groupId()));
            return;
        }
        int width = Math.max(25, groups.stream().mapToInt(g -> g.groupId().length()).max().orElse(0));
        String format = "%-" + width + "s %s";
        out.println(String.format(format, "GROUP", "STATE"));
        groups.forEach(g -> out.println(String.format(format, g.groupId(), g.state())));
    }

    /** @return false when a group does not exist (the others are still described) */
    public boolean describe(Collection<String> groupIds, View view) {
        boolean allFound = true;
        for (String groupId : new LinkedHashSet<>(groupIds)) {
            GroupDescription group = admin.describeGroups(List.of(groupId)).get(groupId);
            Map<TopicPartition, Long> committed = view == View.OFFSETS || !group.exists()
                    ? admin.listGroupOffsets(groupId) : Map.of();
            if (!group.exists() && committed.isEmpty()) {
                err.println("Error: Consumer group '" + groupId + "' does not exist.");
                allFound = false;
                continue;
            }
            if (view != View.STATE) {
                noteState(group);
            }
            out.println();
            List<String> lines = switch (view) {
                case STATE -> GroupTables.state(group);
                case MEMBERS -> GroupTables.members(group);
                case OFFSETS -> GroupTables.offsets(GroupTables.offsetRows(group, committed, logEnds(group, committed)));
            };
            lines.forEach(out::println);
        }
        return allFound;
    }

    public void delete(Collection<String> groupIds) {
        admin.deleteGroups(groupIds);
        out.println("Deletion of requested consumer groups (" + groupIds.stream().map(g -> "'" + g + "'")
                .collect(Collectors.joining(", ")) + ") was successful.");
    }

    public void deleteOffsets(String groupId, List<PartitionSelection> selections) {
        List<TopicPartition> partitions = resolve(selections);
        admin.deleteGroupOffsets(groupId, partitions);
        out.println("Request succeeded for deleting offsets from group '" + groupId + "'.");
        out.println();
        String format = "%-15s %-10s %s";
        out.println(String.format(format, "TOPIC", "PARTITION", "STATUS"));
        partitions.forEach(tp -> out.println(String.format(format, tp.topic(), tp.partition(), "Successful")));
    }

    /**
     * Computes the new offsets, prints them, and commits them when {@code execute}.
     *
     * @param selections the --topic values, or null for --all-topics (the partitions the group has committed)
     * @throws IllegalStateException when the group has active members
     */
    public Map<TopicPartition, Long> resetOffsets(String groupId, List<PartitionSelection> selections, ResetTarget target,
                                                  boolean execute) {
        GroupDescription group = admin.describeGroups(List.of(groupId)).get(groupId);
        if (!group.isInactive()) {
            throw new IllegalStateException("Assignments can only be reset if the group '" + groupId
                    + "' is inactive, but the current state is " + group.state() + ".");
        }
        Map<TopicPartition, Long> committed = admin.listGroupOffsets(groupId);
        List<TopicPartition> partitions = selections == null ? List.copyOf(new TreeSet<>(committed.keySet())) : resolve(selections);
        Map<TopicPartition, Long> earliest = reader.earliest(partitions);
        Map<TopicPartition, Long> latest = reader.latest(partitions);
        Map<TopicPartition, Long> atTime = target instanceof ResetTarget.ToTimestamp t
                ? reader.atTime(partitions, t.timestampMs()) : Map.of();
        Map<TopicPartition, PartitionOffsets> known = new HashMap<>();
        for (TopicPartition tp : partitions) {
            known.put(tp, new PartitionOffsets(earliest.get(tp), latest.get(tp), optional(committed.get(tp)), optional(atTime.get(tp))));
        }
        Map<TopicPartition, Long> plan = ResetPlanner.plan(target, known, err::println);
        if (execute) {
            admin.alterGroupOffsets(groupId, plan);
        }
        out.println();
        GroupTables.newOffsets(groupId, plan).forEach(out::println);
        return plan;
    }

    /** The partitions --topic names, checked against the cluster: an unknown topic or partition is an error. */
    private List<TopicPartition> resolve(List<PartitionSelection> selections) {
        Set<String> names = selections.stream().map(PartitionSelection::topic).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, TopicDescription> topics = admin.describeTopics(names);
        Set<TopicPartition> result = new TreeSet<>();
        for (PartitionSelection s : selections) {
            int count = topics.get(s.topic()).partitions().size();
            if (s.allPartitions()) {
                for (int p = 0; p < count; p++) {
                    result.add(new TopicPartition(s.topic(), p));
                }
            }
            for (int p : s.partitions()) {
                if (p >= count) {
                    throw new IllegalArgumentException("Topic '" + s.topic() + "' has no partition " + p + " (it has " + count + ")");
                }
                result.add(new TopicPartition(s.topic(), p));
            }
        }
        return List.copyOf(result);
    }

    /** Log end offsets of the partitions shown; those of topics deleted since the group committed stay unknown ("-"). */
    private Map<TopicPartition, Long> logEnds(GroupDescription group, Map<TopicPartition, Long> committed) {
        Set<TopicPartition> partitions = new TreeSet<>(committed.keySet());
        for (MemberDescription m : group.members()) {
            partitions.addAll(m.assignment());
        }
        Set<String> existing = admin.listTopics();
        List<TopicPartition> readable = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (existing.contains(tp.topic())) {
                readable.add(tp);
            }
        }
        return reader.latest(readable);
    }

    private void noteState(GroupDescription group) {
        if (group.members().isEmpty()) {
            err.println("Consumer group '" + group.groupId() + "' has no active members.");
        } else if (!"Stable".equals(group.state())) {
            err.println("Warning: Consumer group '" + group.groupId() + "' is rebalancing (state " + group.state() + ").");
        }
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
