package io.tributary.cli;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.RebalanceListener;
import io.tributary.client.serde.Serdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Prints the records of a topic, one line each, like kafka-console-consumer.sh. Without --group it assigns
 * partitions itself (no consumer group), so it never moves anyone's committed offsets. With --group G it joins
 * group G, reads the partitions the group gives it, starts where the group committed (else at the beginning
 * with --from-beginning, or at the end) and commits what it printed, as Kafka's console consumer does.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the records of a topic, one line each.")
public final class ConsumeCommand implements Callable<Integer> {

    private static final Set<String> FORMAT_PROPERTIES = Set.of("print.key", "print.partition", "print.offset",
            "print.timestamp", "print.headers", "print.value", "key.separator", "headers.separator");
    /** Upper bound of one poll, so Ctrl-C and --timeout-ms are noticed promptly. */
    private static final long MAX_POLL_MS = 500;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Read every topic whose name matches this regular expression (needs --group).")
    String include;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Join this consumer group: share the partitions with its other members and commit offsets.")
    String group;

    @Option(names = "--partition", paramLabel = "P", description = "Read only this partition (default: all of them).")
    Integer partition;

    @Option(names = "--from-beginning", description = "Start at the oldest record (default: only new records).")
    boolean fromBeginning;

    @Option(names = "--offset", paramLabel = "earliest|latest|N", description = "Start offset; a number needs --partition.")
    String offset;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after printing N records.")
    Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Exit when no record arrived for this long.")
    Long timeoutMs;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "Output settings as in Kafka's console consumer: print.key, print.partition, print.offset, "
                    + "print.timestamp, print.headers, print.value (true/false), key.separator, headers.separator.")
    Map<String, String> formatProperties = new LinkedHashMap<>();

    @Option(names = "--print-key", description = "Same as --property print.key=true.")
    boolean printKey;

    @Option(names = "--print-partition", description = "Same as --property print.partition=true.")
    boolean printPartition;

    @Option(names = "--print-offset", description = "Same as --property print.offset=true.")
    boolean printOffset;

    @Option(names = "--print-timestamp", description = "Same as --property print.timestamp=true.")
    boolean printTimestamp;

    @Option(names = "--print-headers", description = "Same as --property print.headers=true.")
    boolean printHeaders;

    @Option(names = "--key-separator", paramLabel = "SEP", description = "Same as --property key.separator=SEP (default: a tab).")
    String keySeparator;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE", description = "Any consumer configuration (repeatable).")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private volatile boolean stopRequested;

    public static void main(String[] args) {
        ConsumeCommand command = new ConsumeCommand();
        System.exit(ToolRunner.runOnConsole(command, args));
    }

    /** The output format the flags and --property settings describe; the short flags add to it. */
    RecordFormat recordFormat() {
        for (String key : formatProperties.keySet()) {
            if (!FORMAT_PROPERTIES.contains(key)) {
                throw new ParameterException(spec.commandLine(), "Unknown --property " + key + "; known: "
                        + String.join(", ", FORMAT_PROPERTIES.stream().sorted().toList())
                        + " (client settings go in --consumer-property)");
            }
        }
        String separator = keySeparator != null ? keySeparator
                : formatProperties.getOrDefault("key.separator", RecordFormat.DEFAULT_SEPARATOR);
        return new RecordFormat(
                printTimestamp || flag("print.timestamp", false),
                printPartition || flag("print.partition", false),
                printOffset || flag("print.offset", false),
                printHeaders || flag("print.headers", false),
                printKey || flag("print.key", false),
                flag("print.value", true),
                Escapes.unescape(separator),
                Escapes.unescape(formatProperties.getOrDefault("headers.separator", ",")));
    }

    private boolean flag(String key, boolean defaultValue) {
        String value = formatProperties.get(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--property " + key + " must be true or false, not '" + value + "'");
        };
    }

    StartPosition startPosition() {
        try {
            return StartPosition.of(fromBeginning, offset, partition);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    void validateGroupOptions() {
        if ((topic == null) == (include == null)) {
            throw new ParameterException(spec.commandLine(), "Give exactly one of --topic and --include");
        }
        if (include != null && group == null) {
            throw new ParameterException(spec.commandLine(), "--include needs --group (a pattern subscription is a group's)");
        }
        if (group != null && (partition != null || offset != null)) {
            throw new ParameterException(spec.commandLine(), "--group cannot be combined with --partition or --offset: "
                    + "the group decides which partitions this consumer reads and starts at its committed offsets");
        }
        if (group != null && group.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--group must not be empty");
        }
    }

    void validateLimits() {
        if (partition != null && partition < 0) {
            throw new ParameterException(spec.commandLine(), "--partition must be >= 0, not " + partition);
        }
        if (maxMessages != null && maxMessages < 1) {
            throw new ParameterException(spec.commandLine(), "--max-messages must be >= 1, not " + maxMessages);
        }
        if (timeoutMs != null && timeoutMs < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 0, not " + timeoutMs);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        RecordFormat format = recordFormat();
        validateGroupOptions();
        StartPosition start = startPosition();
        validateLimits();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        List<TopicPartition> partitions = group == null ? partitionsToRead() : List.of();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: let the poll loop finish its batch and close the consumer, as Kafka's tool does.
        Thread hook = new Thread(() -> {
            stopRequested = true;
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long printed = 0;
        try (Consumer<String, String> consumer = new Consumer<>(clientProperties(start),
                Serdes.string().deserializer(), Serdes.string().deserializer())) {
            if (group != null) {
                if (include != null) {
                    consumer.subscribe(Pattern.compile(include), RebalanceListener.NONE);
                } else {
                    consumer.subscribe(List.of(topic), RebalanceListener.NONE);
                }
            } else {
                consumer.assign(partitions);
            }
            if (group != null) {
                // The group's committed offsets decide; auto.offset.reset (set above) covers partitions without one.
            } else if (start instanceof StartPosition.At at) {
                consumer.seek(partitions.get(0), at.offset());
            } else if (start instanceof StartPosition.Beginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastRecordAt = System.nanoTime();
            while (!stopRequested && (maxMessages == null || printed < maxMessages)) {
                long pollMs = MAX_POLL_MS;
                if (timeoutMs != null) {
                    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordAt);
                    if (idleMs >= timeoutMs) {
                        break;
                    }
                    pollMs = Math.min(pollMs, timeoutMs - idleMs);
                }
                List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofMillis(pollMs));
                if (!records.isEmpty()) {
                    lastRecordAt = System.nanoTime();
                }
                for (ConsumerRecord<String, String> r : records) {
                    if (maxMessages != null && printed >= maxMessages) {
                        rewindToFirstUnprinted(consumer, r, records);
                        break;
                    }
                    out.println(format.format(r.partition(), r.offset(), r.timestamp(), r.headers(), r.key(), r.value()));
                    printed++;
                }
                out.flush();
                if (out.checkError()) {
                    break; // stdout is gone (e.g. `| head`): nobody reads what we would print
                }
            }
        } finally {
            finished.countDown();
            if (!stopRequested) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        err.println("Processed a total of " + printed + " messages");
        err.flush();
        return ToolRunner.OK;
    }

    /**
     * --max-messages stopped inside a batch: move each partition back to its first record not printed, so the
     * commit on close covers exactly what was printed and the group's next reader starts there.
     */
    private static void rewindToFirstUnprinted(Consumer<String, String> consumer, ConsumerRecord<String, String> first,
                                               List<ConsumerRecord<String, String>> batch) {
        Map<TopicPartition, Long> firstUnprinted = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : batch.subList(batch.indexOf(first), batch.size())) {
            firstUnprinted.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        firstUnprinted.forEach(consumer::seek);
    }

    /**
     * The consumer's settings. With --group, the group id and, unless --consumer-property says otherwise, where a
     * partition without a committed offset starts (--from-beginning: earliest, else latest, as Kafka's tool).
     */
    private java.util.Properties clientProperties(StartPosition start) {
        java.util.Properties p = connection.clientProperties(consumerProperties);
        if (group != null) {
            p.put("group.id", group);
            p.putIfAbsent("auto.offset.reset", start instanceof StartPosition.Beginning ? "earliest" : "latest");
        }
        return p;
    }

    /** The one --partition, or every partition of the topic, as the cluster's metadata lists them. */
    private List<TopicPartition> partitionsToRead() {
        try (Admin admin = new Admin(connection.clientProperties(consumerProperties))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).get(topic);
            if (description == null || description.partitions().isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist");
            }
            List<TopicPartition> all = description.partitions().stream()
                    .map(PartitionInfo::topicPartition).sorted().toList();
            if (partition == null) {
                return all;
            }
            TopicPartition wanted = new TopicPartition(topic, partition);
            if (!all.contains(wanted)) {
                throw new IllegalStateException("Topic " + topic + " has no partition " + partition
                        + " (it has " + all.size() + " partitions: 0-" + (all.size() - 1) + ")");
            }
            return List.of(wanted);
        }
    }
}
