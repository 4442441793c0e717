package io.tributary.cli;

import io.tributary.cli.groups.Datetimes;
import io.tributary.cli.groups.GroupActions;
import io.tributary.cli.groups.GroupOffsetsReader;
import io.tributary.cli.groups.PartitionSelection;
import io.tributary.cli.groups.ResetTarget;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.GroupListing;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Lists, describes, resets and deletes consumer groups; flags and output follow kafka-consumer-groups.sh.
 * Unlike Kafka's tool, a group that does not exist or cannot be changed exits with 1.
 */
@Command(name = "consumer-groups", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List, describe, reset the offsets of, and delete consumer groups.")
public final class ConsumerGroupsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Action (exactly one):%n")
    Action action;

    static final class Action {
        @Option(names = "--list", required = true, description = "List the consumer groups (with --state: and their states).")
        boolean list;
        @Option(names = "--describe", required = true,
                description = "Describe --group: partitions with committed offset, log end offset, lag and member (or --members, --state).")
        boolean describe;
        @Option(names = "--reset-offsets", required = true,
                description = "Reset the offsets of --group, which must have no active members (--dry-run or --execute).")
        boolean resetOffsets;
        @Option(names = "--delete", required = true, description = "Delete --group, which must have no active members.")
        boolean delete;
        @Option(names = "--delete-offsets", required = true, description = "Delete the committed offsets of --group for --topic.")
        boolean deleteOffsets;
    }

    @Option(names = "--group", paramLabel = "GROUP", description = "The group (repeatable with --describe and --delete).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--all-groups", description = "With --describe or --delete: every consumer group.")
    boolean allGroups;

    @Option(names = "--topic", paramLabel = "TOPIC[:P,P...]",
            description = "With --reset-offsets or --delete-offsets: a topic, or some of its partitions (repeatable).")
    List<String> topics = new ArrayList<>();

    @Option(names = "--all-topics", description = "With --reset-offsets: every topic the group has committed offsets for.")
    boolean allTopics;

    @Option(names = "--members", description = "With --describe: the members, their clients and assignments.")
    boolean members;

    @Option(names = "--state", description = "With --describe: coordinator, assignor, state and member count; with --list: each group's state.")
    boolean state;

    @Option(names = "--offsets", description = "With --describe: the partition offsets and lag (the default view).")
    boolean offsets;

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Reset target (with --reset-offsets, exactly one):%n")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "The log start offset.")
        boolean earliest;
        @Option(names = "--to-latest", required = true, description = "The log end offset.")
        boolean latest;
        @Option(names = "--to-current", required = true, description = "The committed offset (clamped into the log).")
        boolean current;
        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "Offset N (clamped into the log).")
        Long offset;
        @Option(names = "--shift-by", required = true, paramLabel = "N", description = "The committed offset plus N (may be negative).")
        Long shiftBy;
        @Option(names = "--to-datetime", required = true, paramLabel = "YYYY-MM-DDTHH:mm:SS.sss",
                description = "The first record at or after the time (local time zone unless followed by Z or +hh:mm).")
        String datetime;
    }

    @Option(names = "--dry-run", description = "With --reset-offsets: print the new offsets only (the default).")
    boolean dryRun;

    @Option(names = "--execute", description = "With --reset-offsets: commit the new offsets.")
    boolean execute;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(ToolRunner.runOnConsole(new ConsumerGroupsCommand(), args));
    }

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Admin admin = new Admin(connection.clientProperties(Map.of()));
             GroupOffsetsReader reader = new GroupOffsetsReader(connection.clientProperties(Map.of()))) {
            GroupActions actions = new GroupActions(admin, reader, out, err);
            if (action.list) {
                actions.list(state);
                return ToolRunner.OK;
            }
            List<String> chosen = allGroups ? admin.listGroups().stream().filter(GroupListing::isConsumerGroup)
                    .map(GroupListing::groupId).toList() : groups;
            if (action.describe) {
                GroupActions.View view = members ? GroupActions.View.MEMBERS : state ? GroupActions.View.STATE : GroupActions.View.OFFSETS;
                return actions.describe(chosen, view) ? ToolRunner.OK : ToolRunner.FAILED;
            }
            if (action.delete) {
                actions.delete(chosen);
            } else if (action.deleteOffsets) {
                actions.deleteOffsets(groups.get(0), selections());
            } else {
                if (!dryRun && !execute) {
                    err.println("WARN: No action will be performed as the --execute option is missing. Add --dry-run to say so"
                            + " explicitly, or --execute to commit the new offsets.");
                }
                actions.resetOffsets(groups.get(0), allTopics ? null : selections(), resetTarget(), execute);
            }
        } finally {
            out.flush();
            err.flush();
        }
        return ToolRunner.OK;
    }

    /** Option combinations picocli cannot express; checked before connecting, so mistakes fail fast. */
    void validate() {
        boolean oneGroupAction = action.resetOffsets || action.deleteOffsets;
        if (action.list && (!groups.isEmpty() || allGroups)) {
            fail("--list takes no --group or --all-groups");
        }
        if (!action.list && groups.isEmpty() && !allGroups) {
            fail(actionName() + " needs --group" + (oneGroupAction ? "" : " or --all-groups"));
        }
        if (!groups.isEmpty() && allGroups) {
            fail("--group and --all-groups exclude each other");
        }
        if (oneGroupAction && (allGroups || groups.size() != 1)) {
            fail(actionName() + " takes exactly one --group");
        }
        if (!oneGroupAction && (!topics.isEmpty() || allTopics)) {
            fail("--topic and --all-topics only go with --reset-offsets or --delete-offsets");
        }
        if (action.resetOffsets && topics.isEmpty() == !allTopics) {
            fail("--reset-offsets needs either --topic or --all-topics");
        }
        if (action.deleteOffsets && (topics.isEmpty() || allTopics)) {
            fail("--delete-offsets needs --topic (not --all-topics)");
        }
        if (action.resetOffsets && target == null) {
            fail("--reset-offsets needs one of --to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime");
        }
        if (!action.resetOffsets && (target != null || dryRun || execute)) {
            fail("reset targets, --dry-run and --execute only go with --reset-offsets");
        }
        if (dryRun && execute) {
            fail("--dry-run and --execute exclude each other");
        }
        if ((members || offsets) && !action.describe) {
            fail("--members and --offsets only go with --describe");
        }
        if (state && !(action.describe || action.list)) {
            fail("--state only goes with --describe or --list");
        }
        if ((members ? 1 : 0) + (state && action.describe ? 1 : 0) + (offsets ? 1 : 0) > 1) {
            fail("--members, --state and --offsets exclude each other");
        }
        if (target != null && target.offset != null && target.offset < 0) {
            fail("--to-offset must be >= 0, not " + target.offset);
        }
        try {
            selections();
            if (target != null && target.datetime != null) {
                resetTarget();
            }
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
    }

    ResetTarget resetTarget() {
        if (target.earliest) {
            return new ResetTarget.Earliest();
        }
        if (target.latest) {
            return new ResetTarget.Latest();
        }
        if (target.current) {
            return new ResetTarget.Current();
        }
        if (target.offset != null) {
            return new ResetTarget.ToOffset(target.offset);
        }
        if (target.shiftBy != null) {
            return new ResetTarget.ShiftBy(target.shiftBy);
        }
        return new ResetTarget.ToTimestamp(Datetimes.parseToEpochMs(target.datetime, ZoneId.systemDefault()));
    }

    private List<PartitionSelection> selections() {
        return topics.stream().map(PartitionSelection::parse).toList();
    }

    private String actionName() {
        return action.describe ? "--describe" : action.resetOffsets ? "--reset-offsets" : action.delete ? "--delete" : "--delete-offsets";
    }

    private void fail(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
