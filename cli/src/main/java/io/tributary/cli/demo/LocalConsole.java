package io.tributary.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The web console bin/cluster-start runs in the background (run/console/console.pid and console.port): its URL when
 * it is alive, so the demo can send people to its timeline.
 */
public final class LocalConsole {
    static final String MARKER = "-Dtributary.process=console ";

    private LocalConsole() {
    }

    /** http://localhost:&lt;port&gt; of the running console, or empty when none runs (or its files are stale). */
    public static Optional<String> url(Path runDir) {
        Path dir = runDir.resolve("console");
        try {
            Optional<Long> pid = number(dir.resolve("console.pid"));
            Optional<Long> port = number(dir.resolve("console.port"));
            if (pid.isEmpty() || port.isEmpty() || !isConsole(pid.get())) {
                return Optional.empty();
            }
            return Optional.of("http://localhost:" + port.get());
        } catch (IOException e) {
            return Optional.empty(); // no console to point to: the demo runs all the same
        }
    }

    private static boolean isConsole(long pid) throws IOException {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return false;
        }
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        return !Files.isReadable(cmdline)
                || new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').contains(MARKER);
    }

    private static Optional<Long> number(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file).trim();
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit) ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }
}
