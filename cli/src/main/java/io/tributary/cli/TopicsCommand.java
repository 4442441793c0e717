package io.tributary.cli;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.ApiException;
import org.apache.kafka.common.protocol.Errors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Creates, lists, describes and deletes topics, and describes the cluster; flags follow kafka-topics.sh. */
@Command(name = "topics", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create, list, describe, alter (add partitions) and delete topics; describe the cluster.")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Action (exactly one):%n")
    Action action;

    static final class Action {
        @Option(names = "--create", required = true, description = "Create a topic (--topic, --partitions, --replication-factor).")
        boolean create;
        @Option(names = "--list", required = true, description = "List topic names.")
        boolean list;
        @Option(names = "--describe", required = true, description = "Describe --topic, or every topic.")
        boolean describe;
        @Option(names = "--delete", required = true, description = "Delete --topic.")
        boolean delete;
        @Option(names = "--describe-cluster", required = true, description = "Print the cluster id, the controller and the brokers.")
        boolean describeCluster;
        @Option(names = "--alter", required = true, description = "Grow --topic to --partitions N partitions (never fewer).")
        boolean alter;
    }

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "-1",
            description = "Partitions of the new topic (default: the broker's num.partitions), or with --alter the new total.")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "R", defaultValue = "-1",
            description = "Replicas per partition of the new topic (default: the broker's default.replication.factor).")
    short replicationFactor;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Topic configuration for --create (repeatable), e.g. retention.ms=60000.")
    Map<String, String> configs = Map.of();

    @Option(names = "--if-not-exists", description = "With --create: succeed if the topic already exists.")
    boolean ifNotExists;

    @Option(names = "--if-exists", description = "With --delete or --describe --topic: succeed if the topic does not exist.")
    boolean ifExists;

    @Option(names = "--under-replicated-partitions",
            description = "With --describe: only partitions whose ISR is smaller than their replica set.")
    boolean underReplicatedPartitions;

    @Option(names = "--unavailable-partitions", description = "With --describe: only partitions without a leader.")
    boolean unavailablePartitions;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(ToolRunner.runOnConsole(new TopicsCommand(), args));
    }

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = new Admin(connection.clientProperties(Map.of()))) {
            if (action.create) {
                create(admin, out);
            } else if (action.list) {
                admin.listTopics().stream().sorted().forEach(out::println);
            } else if (action.describe) {
                describe(admin, out);
            } else if (action.delete) {
                delete(admin, out);
            } else if (action.alter) {
                admin.createPartitions(topic, partitions);
                out.println("Topic " + topic + " now has " + partitions + " partitions.");
            } else {
                ClusterFormat.lines(admin.describeCluster()).forEach(out::println);
            }
        }
        out.flush();
        return ToolRunner.OK;
    }

    /** Option combinations picocli cannot express; checked before connecting, so mistakes fail fast. */
    void validate() {
        if ((action.create || action.delete) && topic == null) {
            throw new ParameterException(spec.commandLine(), (action.create ? "--create" : "--delete") + " needs --topic");
        }
        if (action.create && (partitions == 0 || partitions < -1)) {
            throw new ParameterException(spec.commandLine(), "--partitions must be >= 1, not " + partitions);
        }
        if (action.create && (replicationFactor == 0 || replicationFactor < -1)) {
            throw new ParameterException(spec.commandLine(), "--replication-factor must be >= 1, not " + replicationFactor);
        }
        if (action.alter && (topic == null || partitions < 1 || replicationFactor != -1 || !configs.isEmpty() || ifNotExists)) {
            throw new ParameterException(spec.commandLine(), "--alter needs --topic and --partitions N (N >= 1) and takes "
                    + "nothing else; bin/configs changes topic configs");
        }
        if (!action.create && !action.alter && (partitions != -1 || replicationFactor != -1 || !configs.isEmpty() || ifNotExists)) {
            throw new ParameterException(spec.commandLine(),
                    "--partitions, --replication-factor, --config and --if-not-exists only go with --create");
        }
        if ((underReplicatedPartitions || unavailablePartitions) && !action.describe) {
            throw new ParameterException(spec.commandLine(), "--under-replicated-partitions and --unavailable-partitions only go with --describe");
        }
        if (underReplicatedPartitions && unavailablePartitions) {
            throw new ParameterException(spec.commandLine(), "--under-replicated-partitions and --unavailable-partitions exclude each other");
        }
        if ((action.list || action.describeCluster) && topic != null) {
            throw new ParameterException(spec.commandLine(), "--topic does not go with " + (action.list ? "--list" : "--describe-cluster"));
        }
    }

    private void create(Admin admin, PrintWriter out) {
        try {
            admin.createTopic(new NewTopic(topic, partitions, replicationFactor, configs));
            out.println("Created topic " + topic + ".");
        } catch (ApiException e) {
            if (!(ifNotExists && e.error() == Errors.TOPIC_ALREADY_EXISTS)) {
                throw e;
            }
        }
    }

    private void describe(Admin admin, PrintWriter out) {
        List<String> names = new ArrayList<>(topic == null ? admin.listTopics() : List.of(topic));
        names.sort(null);
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(names);
        } catch (ApiException e) {
            if (ifExists && e.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                return;
            }
            throw e;
        }
        TopicDescriptionFormat.Filter filter = underReplicatedPartitions ? TopicDescriptionFormat.Filter.UNDER_REPLICATED
                : unavailablePartitions ? TopicDescriptionFormat.Filter.UNAVAILABLE : TopicDescriptionFormat.Filter.ALL;
        for (String name : names) {
            TopicDescription description = descriptions.get(name);
            if (description != null) {
                TopicDescriptionFormat.lines(description, filter).forEach(out::println);
            }
        }
    }

    private void delete(Admin admin, PrintWriter out) {
        try {
            admin.deleteTopics(List.of(topic));
            out.println("Deleted topic " + topic + ".");
        } catch (ApiException e) {
            if (!(ifExists && e.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION)) {
                throw e;
            }
        }
    }
}
