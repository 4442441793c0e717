package io.tributary.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flag parsing and validation of the three tools. Every case here is refused before a client is
 * created, so no broker is needed; the tools against a live cluster are tested in system-tests.
 */
class CommandLineTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ToolRunner.run(command, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertRefused(Result result, String message) {
        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().startsWith("Error: " + message + System.lineSeparator()), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace without --verbose: " + result.err());
        assertEquals("", result.out());
    }

    @Test
    void topicsNeedsExactlyOneAction() {
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--list", "--describe"),
                "--list, --describe are mutually exclusive (specify only one)");
        Result none = run(new TopicsCommand(), "--bootstrap-server", "localhost:1");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("Missing required argument"), none.err());
    }

    @Test
    void partitionFiltersGoOnlyWithDescribeAndNotTogether() {
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--list", "--under-replicated-partitions"),
                "--under-replicated-partitions and --unavailable-partitions only go with --describe");
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--describe",
                        "--under-replicated-partitions", "--unavailable-partitions"),
                "--under-replicated-partitions and --unavailable-partitions exclude each other");
    }

    @Test
    void topicsNeedsABootstrapServer() {
        Result r = run(new TopicsCommand(), "--list");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("Error: Missing required option: '--bootstrap-server="), r.err());
        assertTrue(r.err().contains("Run 'topics --help' for the options."), r.err());
    }

    @Test
    void createNeedsATopicAndSaneCounts() {
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--create", "--partitions", "3"),
                "--create needs --topic");
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--create", "--topic", "t", "--partitions", "0"),
                "--partitions must be >= 1, not 0");
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--create", "--topic", "t",
                "--replication-factor", "-3"), "--replication-factor must be >= 1, not -3");
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--list", "--partitions", "3"),
                "--partitions, --replication-factor, --config and --if-not-exists only go with --create");
        assertRefused(run(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--delete"), "--delete needs --topic");
    }

    @Test
    void createParsesConfigsAndCounts() {
        TopicsCommand command = new TopicsCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "h:1", "--create", "--topic", "t", "--partitions", "6",
                "--replication-factor", "3", "--config", "retention.ms=60000", "--config", "segment.bytes=1048576");
        assertTrue(command.action.create);
        assertEquals("t", command.topic);
        assertEquals(6, command.partitions);
        assertEquals(3, command.replicationFactor);
        assertEquals(Map.of("retention.ms", "60000", "segment.bytes", "1048576"), command.configs);
    }

    @Test
    void helpExitsZeroAndListsTheFlags() {
        Result r = run(new ProduceCommand(new ByteArrayInputStream(new byte[0])), "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--bootstrap-server"), r.out());
        assertTrue(r.out().contains("--parse-key"), r.out());
    }

    @Test
    void producerKeyFlagsShortAndKafkaFormsAgree() {
        ProduceCommand shortForm = new ProduceCommand(new ByteArrayInputStream(new byte[0]));
        new CommandLine(shortForm).parseArgs("--bootstrap-server", "h:1", "--topic", "t", "--parse-key", "--key-separator", ":");
        ProduceCommand kafkaForm = new ProduceCommand(new ByteArrayInputStream(new byte[0]));
        new CommandLine(kafkaForm).parseArgs("--bootstrap-server", "h:1", "--topic", "t",
                "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(new KeyedLineParser(true, ":"), shortForm.lineParser());
        assertEquals(new KeyedLineParser(true, ":"), kafkaForm.lineParser());

        ProduceCommand defaults = new ProduceCommand(new ByteArrayInputStream(new byte[0]));
        new CommandLine(defaults).parseArgs("--bootstrap-server", "h:1", "--topic", "t", "--property", "key.separator=\\t");
        assertEquals(new KeyedLineParser(false, "\t"), defaults.lineParser());
    }

    @Test
    void producerFlagsBecomeClientSettingsAndTheFlagsWin() {
        ProduceCommand command = new ProduceCommand(new ByteArrayInputStream(new byte[0]));
        new CommandLine(command).parseArgs("--bootstrap-server", "h:1", "--topic", "t", "--acks", "1",
                "--compression-type", "zstd", "--linger-ms", "5", "--producer-property", "acks=0",
                "--producer-property", "batch.size=1024");
        assertEquals(Map.of("acks", "1", "compression.type", "zstd", "linger.ms", "5", "batch.size", "1024"),
                command.producerSettings());
        assertEquals("h:1", command.connection.clientProperties(command.producerSettings()).getProperty("bootstrap.servers"));
    }

    @Test
    void producerRefusesBadFlagsBeforeConnecting() {
        assertRefused(run(new ProduceCommand(new ByteArrayInputStream(new byte[0])),
                "--bootstrap-server", "localhost:1", "--topic", "t", "--acks", "2"), "--acks must be 0, 1 or all, not '2'");
        assertRefused(run(new ProduceCommand(new ByteArrayInputStream(new byte[0])),
                "--bootstrap-server", "localhost:1", "--topic", "t", "--compression-type", "brotli"),
                "--compression-type must be one of none, gzip, snappy, lz4, zstd, not 'brotli'");
        assertRefused(run(new ProduceCommand(new ByteArrayInputStream(new byte[0])),
                "--bootstrap-server", "localhost:1", "--topic", "t", "--property", "parse.keys=true"),
                "Unknown --property parse.keys; the producer understands parse.key and key.separator"
                        + " (client settings go in --producer-property)");
    }

    @Test
    void consumerFormatFromShortFlagsAndProperties() {
        ConsumeCommand command = new ConsumeCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "h:1", "--topic", "t", "--print-key", "--print-offset",
                "--property", "print.partition=true", "--property", "key.separator=\\t|", "--property", "print.value=false");
        assertEquals(new RecordFormat(false, true, true, false, true, false, "\t|", ","), command.recordFormat());
    }

    @Test
    void consumerRefusesBadFlagsBeforeConnecting() {
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--offset", "9"),
                "--offset 9 needs --partition: an offset belongs to one partition");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--property", "print.keys=true"),
                "Unknown --property print.keys; known: headers.separator, key.separator, print.headers, print.key, print.offset,"
                        + " print.partition, print.timestamp, print.value (client settings go in --consumer-property)");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--max-messages", "0"),
                "--max-messages must be >= 1, not 0");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--property", "print.key=yes"),
                "--property print.key must be true or false, not 'yes'");
    }

    @Test
    void consumerGroupFlagsAreCheckedBeforeConnecting() {
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--group", "g", "--partition", "1"),
                "--group cannot be combined with --partition or --offset: the group decides which partitions this consumer reads"
                        + " and starts at its committed offsets");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--include", "t.*"),
                "--include needs --group (a pattern subscription is a group's)");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--group", "g"),
                "Give exactly one of --topic and --include");
        assertRefused(run(new ConsumeCommand(), "--bootstrap-server", "localhost:1", "--topic", "t", "--include", "t.*", "--group", "g"),
                "Give exactly one of --topic and --include");
    }
}
