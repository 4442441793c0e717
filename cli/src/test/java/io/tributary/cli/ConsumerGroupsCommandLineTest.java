package io.tributary.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** consumer-groups flag combinations that are refused before any connection (the port is never listened on). */
class ConsumerGroupsCommandLineTest {

    private static void assertRefused(String message, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = "localhost:1";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = ToolRunner.run(new ConsumerGroupsCommand(), new PrintWriter(out), new PrintWriter(err), all);
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("Error: " + message), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void actionsNeedTheirGroup() {
        assertRefused("--describe needs --group or --all-groups", "--describe");
        assertRefused("--reset-offsets needs --group", "--reset-offsets", "--topic", "t", "--to-earliest");
        assertRefused("--reset-offsets takes exactly one --group", "--reset-offsets", "--group", "a", "--group", "b",
                "--topic", "t", "--to-earliest");
        assertRefused("--list takes no --group or --all-groups", "--list", "--group", "a");
        assertRefused("--group and --all-groups exclude each other", "--delete", "--group", "a", "--all-groups");
    }

    @Test
    void resetNeedsOneTargetAndItsPartitions() {
        assertRefused("--reset-offsets needs one of --to-earliest", "--reset-offsets", "--group", "g", "--topic", "t");
        assertRefused("--reset-offsets needs either --topic or --all-topics", "--reset-offsets", "--group", "g", "--to-latest");
        assertRefused("--reset-offsets needs either --topic or --all-topics", "--reset-offsets", "--group", "g", "--to-latest",
                "--topic", "t", "--all-topics");
        assertRefused("--to-earliest, --to-latest are mutually exclusive", "--reset-offsets", "--group", "g", "--topic", "t",
                "--to-earliest", "--to-latest");
        assertRefused("--dry-run and --execute exclude each other", "--reset-offsets", "--group", "g", "--topic", "t",
                "--to-earliest", "--dry-run", "--execute");
        assertRefused("--to-offset must be >= 0, not -3", "--reset-offsets", "--group", "g", "--topic", "t", "--to-offset", "-3");
        assertRefused("--topic 't:x': 'x' is not a partition number", "--reset-offsets", "--group", "g", "--topic", "t:x", "--to-latest");
        assertRefused("--to-datetime 'yesterday' is not a date and time", "--reset-offsets", "--group", "g", "--topic", "t",
                "--to-datetime", "yesterday");
    }

    @Test
    void viewsAndResetFlagsGoOnlyWithTheirAction() {
        assertRefused("reset targets, --dry-run and --execute only go with --reset-offsets", "--describe", "--group", "g", "--to-earliest");
        assertRefused("--topic and --all-topics only go with --reset-offsets or --delete-offsets", "--describe", "--group", "g", "--topic", "t");
        assertRefused("--members and --offsets only go with --describe", "--delete", "--group", "g", "--members");
        assertRefused("--members, --state and --offsets exclude each other", "--describe", "--group", "g", "--members", "--state");
        assertRefused("--delete-offsets needs --topic", "--delete-offsets", "--group", "g");
    }
}
