package io.tributary.cli;

import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.serde.Serdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one record per line of stdin, like kafka-console-producer.sh. Every failed record is reported
 * on stderr with its line number; the exit code is 1 if any record failed.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send one record per line of stdin to a topic.")
public final class ProduceCommand implements Callable<Integer> {

    private static final Set<String> COMPRESSION_TYPES = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to write to.")
    String topic;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "Line reader settings as in Kafka's console producer: parse.key=true, key.separator=:")
    Map<String, String> readerProperties = new LinkedHashMap<>();

    @Option(names = "--parse-key", description = "Same as --property parse.key=true: the line holds key<separator>value.")
    boolean parseKey;

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "Same as --property key.separator=SEP (default: a tab; \\t and \\n are understood).")
    String keySeparator;

    @Option(names = "--acks", paramLabel = "0|1|all", description = "Acknowledgements to wait for (default: the client's, all).")
    String acks;

    @Option(names = "--compression-type", paramLabel = "TYPE", description = "none, gzip, snappy, lz4 or zstd.")
    String compressionType;

    @Option(names = "--linger-ms", paramLabel = "MS", description = "How long to wait to fill a batch.")
    Integer lingerMs;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "Any producer configuration (repeatable).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private final InputStream in;

    public ProduceCommand() {
        this(System.in);
    }

    ProduceCommand(InputStream in) {
        this.in = in;
    }

    public static void main(String[] args) {
        System.exit(ToolRunner.runOnConsole(new ProduceCommand(), args));
    }

    /** The line parser the flags and --property settings describe; the short flags win. */
    KeyedLineParser lineParser() {
        for (String key : readerProperties.keySet()) {
            if (!key.equals("parse.key") && !key.equals("key.separator")) {
                throw new ParameterException(spec.commandLine(), "Unknown --property " + key
                        + "; the producer understands parse.key and key.separator (client settings go in --producer-property)");
            }
        }
        String parse = readerProperties.getOrDefault("parse.key", "false").trim();
        if (!parse.equals("true") && !parse.equals("false")) {
            throw new ParameterException(spec.commandLine(), "--property parse.key must be true or false, not '" + parse + "'");
        }
        String separator = keySeparator != null ? keySeparator
                : readerProperties.getOrDefault("key.separator", KeyedLineParser.DEFAULT_KEY_SEPARATOR);
        separator = Escapes.unescape(separator);
        if (separator.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "The key separator must not be empty");
        }
        return new KeyedLineParser(parseKey || parse.equals("true"), separator);
    }

    /** The producer's configuration: --producer-property first, the dedicated flags win. */
    Map<String, String> producerSettings() {
        Map<String, String> settings = new LinkedHashMap<>(producerProperties);
        if (acks != null) {
            if (!Set.of("0", "1", "all", "-1").contains(acks)) {
                throw new ParameterException(spec.commandLine(), "--acks must be 0, 1 or all, not '" + acks + "'");
            }
            settings.put("acks", acks);
        }
        if (compressionType != null) {
            if (!COMPRESSION_TYPES.contains(compressionType)) {
                throw new ParameterException(spec.commandLine(),
                        "--compression-type must be one of none, gzip, snappy, lz4, zstd, not '" + compressionType + "'");
            }
            settings.put("compression.type", compressionType);
        }
        if (lingerMs != null) {
            if (lingerMs < 0) {
                throw new ParameterException(spec.commandLine(), "--linger-ms must be >= 0, not " + lingerMs);
            }
            settings.put("linger.ms", lingerMs.toString());
        }
        return settings;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        KeyedLineParser parser = lineParser();
        Map<String, String> settings = producerSettings();
        PrintWriter err = spec.commandLine().getErr();
        AtomicLong failed = new AtomicLong();
        InFlightRecords inFlight = new InFlightRecords();
        try (Producer<String, String> producer = new Producer<>(connection.clientProperties(settings),
                Serdes.string().serializer(), Serdes.string().serializer());
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                long number = lineNumber;
                KeyedLineParser.KeyValue kv;
                try {
                    kv = parser.parse(line, number);
                } catch (IllegalArgumentException e) {
                    reportFailure(err, failed, e.getMessage());
                    continue;
                }
                inFlight.sent();
                try {
                    producer.send(new ProducerRecord<>(topic, kv.key(), kv.value())).whenComplete((metadata, error) -> {
                        if (error != null) {
                            reportFailure(err, failed, "Record on line " + number + " was not written: " + CliErrors.message(error));
                        }
                        inFlight.completed();
                    });
                } catch (RuntimeException e) {
                    inFlight.completed();
                    reportFailure(err, failed, "Record on line " + number + " was not written: " + CliErrors.message(e));
                }
            }
            producer.flush();
            inFlight.awaitNone();
        }
        if (failed.get() > 0) {
            err.println("Error: " + failed.get() + " record(s) were not written to " + topic);
            err.flush();
            return ToolRunner.FAILED;
        }
        return ToolRunner.OK;
    }

    private static void reportFailure(PrintWriter err, AtomicLong failed, String message) {
        failed.incrementAndGet();
        synchronized (err) {
            err.println("Error: " + message);
            err.flush();
        }
    }
}
