package io.tributary.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs kcat (librdkafka's command-line client) as a real foreign client of the cluster. */
final class Kcat {

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

    ExternalProcess.Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        return ExternalProcess.run(command, stdin, workDir);
    }
}
