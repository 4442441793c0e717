package io.tributary.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs kcat (librdkafka's command-line client) as a real foreign client of the cluster. Output goes to
 * files, not pipes, so a chatty kcat can never block on a full pipe while the test waits for it.
 */
final class Kcat {

    /** What one kcat run printed and how it ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("kcat failed with exit code " + exitCode + ": " + String.join(" ", command)
                        + "\nstderr:\n" + stderr + "\nstdout:\n" + stdout);
            }
            return this;
        }
    }

    private final Path executable;
    private final Path workDir;

    private Kcat(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** Finds kcat on PATH; fails (never skips) when it is missing, since CI must install it. */
    static Kcat locate(Path workDir) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kcat");
            if (Files.isExecutable(candidate)) {
                return new Kcat(candidate, workDir);
            }
        }
        throw new AssertionError("kcat is not installed (not on PATH " + System.getenv("PATH") + "); "
                + "install it, e.g. `apt-get install -y kcat` (.ci/run does this)");
    }

    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path in = Files.createTempFile(workDir, "kcat-in-", ".txt");
        Path out = Files.createTempFile(workDir, "kcat-out-", ".txt");
        Path err = Files.createTempFile(workDir, "kcat-err-", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // Bounds a hung client only; no assertion on how long it took.
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kcat did not finish: " + String.join(" ", command)
                    + "\nstderr:\n" + Files.readString(err) + "\nstdout:\n" + Files.readString(out));
        }
        return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
