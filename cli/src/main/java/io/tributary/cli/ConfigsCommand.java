package io.tributary.cli;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Describes and alters topic and broker configs; flags follow kafka-configs.sh. Changes are stored in ZooKeeper by
 * the brokers and take effect without a restart (docs/operations.md lists which).
 */
@Command(name = "configs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Describe and alter topic and broker configs (stored in ZooKeeper, applied without a restart).")
public final class ConfigsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--entity-type", required = true, paramLabel = "topics|brokers", description = "What the configs belong to.")
    String entityType;

    @Option(names = "--entity-name", paramLabel = "NAME", description = "The topic name or broker id.")
    String entityName;

    @Option(names = "--entity-default", description = "With --entity-type brokers: the cluster-wide broker defaults.")
    boolean entityDefault;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Action (exactly one):%n")
    Action action;

    static final class Action {
        @Option(names = "--describe", required = true, description = "Print the configs set on the entity (--all: every config).")
        boolean describe;
        @Option(names = "--alter", required = true, description = "Change configs (--add-config, --delete-config).")
        boolean alter;
    }

    @Option(names = "--all", description = "With --describe: every config with its value and source, not only overrides.")
    boolean all;

    @Option(names = "--add-config", paramLabel = "K=V[,K2=V2...]", split = ",(?=[^,=]+=)",
            description = "With --alter: configs to set, e.g. retention.ms=60000,segment.bytes=1048576. A list value "
                    + "goes in square brackets: cleanup.policy=[compact,delete].")
    List<String> addConfigs = new ArrayList<>();

    @Option(names = "--delete-config", paramLabel = "K[,K2...]", split = ",",
            description = "With --alter: configs to remove, so their defaults apply again.")
    List<String> deleteConfigs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(ToolRunner.runOnConsole(new ConfigsCommand(), args));
    }

    @Override
    public Integer call() {
        ConfigResource resource = validate();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = new Admin(connection.clientProperties(Map.of()))) {
            if (action.describe) {
                describe(admin, resource, out);
            } else {
                List<AlterConfigOp> ops = new ArrayList<>();
                for (String pair : addConfigs) {
                    int eq = pair.indexOf('=');
                    ops.add(AlterConfigOp.set(pair.substring(0, eq).trim(), unbracket(pair.substring(eq + 1).trim())));
                }
                deleteConfigs.forEach(name -> ops.add(AlterConfigOp.delete(name.trim())));
                admin.incrementalAlterConfigs(resource, ops, false);
                out.println("Completed updating config for " + label(resource) + ".");
            }
        }
        out.flush();
        return ToolRunner.OK;
    }

    /** Option combinations picocli cannot express; checked before connecting. */
    ConfigResource validate() {
        ConfigResource resource = switch (entityType) {
            case "topics", "topic" -> {
                if (entityName == null || entityDefault) {
                    throw new ParameterException(spec.commandLine(), "--entity-type topics needs --entity-name TOPIC");
                }
                yield ConfigResource.topic(entityName);
            }
            case "brokers", "broker" -> {
                if (entityDefault == (entityName != null)) {
                    throw new ParameterException(spec.commandLine(),
                            "--entity-type brokers needs exactly one of --entity-name ID and --entity-default");
                }
                if (entityDefault) {
                    yield ConfigResource.brokerDefault();
                }
                try {
                    yield ConfigResource.broker(Integer.parseInt(entityName));
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "--entity-name of a broker is its id, not '" + entityName + "'");
                }
            }
            default -> throw new ParameterException(spec.commandLine(), "--entity-type must be topics or brokers, not '"
                    + entityType + "'");
        };
        if (action.alter && addConfigs.isEmpty() && deleteConfigs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--alter needs --add-config and/or --delete-config");
        }
        if (action.describe && (!addConfigs.isEmpty() || !deleteConfigs.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--add-config and --delete-config only go with --alter");
        }
        if (all && !action.describe) {
            throw new ParameterException(spec.commandLine(), "--all only goes with --describe");
        }
        for (String pair : addConfigs) {
            if (pair.indexOf('=') <= 0) {
                throw new ParameterException(spec.commandLine(), "--add-config takes KEY=VALUE pairs, not '" + pair + "'");
            }
        }
        return resource;
    }

    private void describe(Admin admin, ConfigResource resource, PrintWriter out) {
        List<ConfigEntry> entries = admin.describeConfigs(resource).stream()
                .filter(e -> all || e.isOverride(resource))
                .sorted(java.util.Comparator.comparing(ConfigEntry::name)).toList();
        out.println((all ? "All configs" : "Dynamic configs") + " for " + label(resource) + " are:");
        for (ConfigEntry entry : entries) {
            out.println("  " + entry.name() + "=" + (entry.sensitive() ? "(sensitive)" : entry.value())
                    + " source=" + entry.source() + (entry.readOnly() ? " read-only" : ""));
        }
    }

    private static String label(ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> "topic " + resource.name();
            case BROKER -> resource.isBrokerDefault() ? "the brokers' cluster-wide default" : "broker " + resource.name();
        };
    }

    /** kafka-configs writes list values in brackets so their commas are not pair separators. */
    private static String unbracket(String value) {
        return value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
    }
}
