package io.tributary.cli.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The brokers bin/broker-start runs on this machine: their pids (run/broker-&lt;id&gt;/broker.pid,
 * checked against the process's command line so a stale file never names an unrelated process) and
 * the scripts that start them.
 */
public final class LocalBrokers {
    private final Path root;
    private final Path runDir;

    public LocalBrokers(Path root, Path runDir) {
        this.root = root;
        this.runDir = runDir;
    }

    /** The live pid of broker {@code id}, or -1 if it is not running (or not one these scripts started). */
    public long pid(int id) {
        Path pidFile = runDir.resolve("broker-" + id).resolve("broker.pid");
        try {
            return PidFile.livePid(pidFile, "-Dtributary.process=broker-" + id + " ").orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
    }

    /** SIGKILL (kill -9): the process gets no chance to hand anything over. */
    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits (at most 10 s) until the process is a zombie or gone: dead, even if init has not reaped it yet. */
    public static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        while (System.nanoTime() < deadline) {
            String text;
            try {
                text = Files.readString(stat);
            } catch (IOException e) {
                return; // gone
            }
            String rest = text.substring(text.lastIndexOf(')') + 1).trim();
            if (rest.startsWith("Z") || rest.startsWith("X")) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** Runs bin/broker-start {@code id}, handing each line it prints to {@code lines}; returns its exit code. */
    public int start(int id, Consumer<String> lines) {
        return run(List.of(root.resolve("bin").resolve("broker-start").toString(), Integer.toString(id)), lines);
    }

    static int run(List<String> command, Consumer<String> lines) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.accept(line);
                }
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }
}
