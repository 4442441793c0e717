package io.tributary.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConsoleTest {

    @Test
    void noConsoleDirectoryMeansNoUrl(@TempDir Path run) {
        assertEquals(Optional.empty(), LocalConsole.url(run));
    }

    @Test
    void aPidFileOfAnotherProcessIsStale(@TempDir Path run) throws Exception {
        Path dir = Files.createDirectories(run.resolve("console"));
        // This test JVM is alive but is not a console: its command line lacks the marker.
        Files.writeString(dir.resolve("console.pid"), ProcessHandle.current().pid() + "\n");
        Files.writeString(dir.resolve("console.port"), "8080\n");
        assertEquals(Optional.empty(), LocalConsole.url(run));
    }

    @Test
    void theUrlOfALiveConsoleProcess(@TempDir Path run) throws Exception {
        // A shell whose command line carries the marker bin/cluster-start gives the console's JVM ($0 and $1 of sh -c).
        Process fake = new ProcessBuilder("sh", "-c", "sleep 30; true", "-Dtributary.process=console", "console").start();
        try {
            Path dir = Files.createDirectories(run.resolve("console"));
            Files.writeString(dir.resolve("console.pid"), fake.pid() + "\n");
            Files.writeString(dir.resolve("console.port"), "8123\n");
            assertEquals(Optional.of("http://localhost:8123"), LocalConsole.url(run));
            fake.destroyForcibly().waitFor();
            assertEquals(Optional.empty(), LocalConsole.url(run));
        } finally {
            fake.destroyForcibly();
        }
    }
}
