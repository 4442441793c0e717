package io.tributary.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs one tool command with the conventions every tool shares: a usage error prints
 * {@code Error: <message>} and a hint, a failure prints {@code Error: <message>} (stack trace only
 * with {@code --verbose}), and both exit with 1, as Kafka's tools do.
 */
final class ToolRunner {

    static final int OK = 0;
    static final int FAILED = 1;

    private ToolRunner() {
    }

    static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((e, ignoredArgs) -> {
            // Some picocli messages already start with "Error: "; never print it twice.
            err.println("Error: " + e.getMessage().replaceFirst("^Error: ", ""));
            err.println("Run '" + e.getCommandLine().getCommandName() + " --help' for the options.");
            err.flush();
            return FAILED;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            CliErrors.print(err, e, parseResult.hasMatchedOption("--verbose"));
            return FAILED;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** For a tool's main(): stdout and stderr, flushed on exit. */
    static int runOnConsole(Object command, String... args) {
        return run(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }
}
