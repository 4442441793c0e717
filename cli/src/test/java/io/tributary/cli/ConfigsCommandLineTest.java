package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** bin/configs and bin/topics --alter refuse bad flag combinations before connecting. */
class ConfigsCommandLineTest {

    private static String refused(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ToolRunner.run(command, new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(1, code, err.toString());
        assertEquals("", out.toString());
        return err.toString();
    }

    @Test
    void configsNeedsAnEntityAndSomethingToChange() {
        assertTrue(refused(new ConfigsCommand(), "--bootstrap-server", "localhost:1", "--entity-type", "topics", "--describe")
                .startsWith("Error: --entity-type topics needs --entity-name TOPIC"));
        assertTrue(refused(new ConfigsCommand(), "--bootstrap-server", "localhost:1", "--entity-type", "brokers",
                "--entity-name", "1", "--entity-default", "--describe")
                .startsWith("Error: --entity-type brokers needs exactly one of --entity-name ID and --entity-default"));
        assertTrue(refused(new ConfigsCommand(), "--bootstrap-server", "localhost:1", "--entity-type", "topics",
                "--entity-name", "t", "--alter").startsWith("Error: --alter needs --add-config and/or --delete-config"));
        assertTrue(refused(new ConfigsCommand(), "--bootstrap-server", "localhost:1", "--entity-type", "users",
                "--entity-name", "t", "--describe").startsWith("Error: --entity-type must be topics or brokers"));
        assertTrue(refused(new ConfigsCommand(), "--bootstrap-server", "localhost:1", "--entity-type", "topics",
                "--entity-name", "t", "--alter", "--add-config", "retention.ms").startsWith("Error: --add-config takes KEY=VALUE"));
    }

    @Test
    void addConfigSplitsPairsButKeepsBracketedLists() {
        ConfigsCommand command = new ConfigsCommand();
        new picocli.CommandLine(command).parseArgs("--bootstrap-server", "localhost:1", "--entity-type", "topics",
                "--entity-name", "t", "--alter", "--add-config", "retention.ms=1000,cleanup.policy=[compact,delete]");
        assertEquals(java.util.List.of("retention.ms=1000", "cleanup.policy=[compact,delete]"), command.addConfigs);
    }

    @Test
    void topicsAlterNeedsATopicAndAPartitionCount() {
        assertTrue(refused(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--alter", "--topic", "t")
                .startsWith("Error: --alter needs --topic and --partitions N"));
        assertTrue(refused(new TopicsCommand(), "--bootstrap-server", "localhost:1", "--alter", "--topic", "t",
                "--partitions", "3", "--config", "retention.ms=1").startsWith("Error: --alter needs --topic and --partitions N"));
    }
}
