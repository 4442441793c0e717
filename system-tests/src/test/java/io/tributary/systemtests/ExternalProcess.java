package io.tributary.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line client (kcat, Tributary's own tools) as a real process. Output goes to files, not
 * pipes, so a chatty process can never block on a full pipe while the test waits for it.
 */
final class ExternalProcess {

    /** What one run printed and how it ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed with exit code " + exitCode + ": " + String.join(" ", command)
                        + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
            }
            return this;
        }
    }

    private ExternalProcess() {
    }

    static Result run(List<String> command, String stdin, Path workDir) throws IOException, InterruptedException {
        Path in = Files.createTempFile(workDir, "in-", ".txt");
        Path out = Files.createTempFile(workDir, "out-", ".txt");
        Path err = Files.createTempFile(workDir, "err-", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // Bounds a hung client only; no assertion on how long it took.
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("command did not finish: " + String.join(" ", command)
                    + "\nstderr:\n" + Files.readString(err) + "\nstdout:\n" + Files.readString(out));
        }
        return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
