package io.tributary.systemtests.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a broker JVM ({@code BrokerMain --override key=value ...}), its stdout and stderr appended
 * to one file so that the output of every run of the same broker reads as one story. A restart is a new
 * {@code BrokerProcess} on the same file.
 */
public final class BrokerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path outputFile;
    private final long outputStart;
    private final String metricsUrl;
    private volatile boolean paused;

    private BrokerProcess(String name, Process process, Path outputFile, long outputStart, String metricsUrl) {
        this.metricsUrl = metricsUrl;
        this.name = name;
        this.process = process;
        this.outputFile = outputFile;
        this.outputStart = outputStart;
    }

    /**
     * Starts a broker with exactly these settings (no config file), so a test controls every value the
     * broker sees. Returns at once; see {@link #awaitStarted} and {@link #awaitExit}.
     *
     * <p>Without a {@code metrics.listener} in the settings the broker gets a free port on 127.0.0.1, never the
     * default 9191+id, so a test never collides with a developer's cluster; see {@link #metricsUrl()}.
     */
    public static BrokerProcess launch(Distribution distribution, String name, Map<String, String> given, Path outputFile) {
        Map<String, String> settings = new LinkedHashMap<>(given);
        settings.putIfAbsent("metrics.listener", "http://127.0.0.1:" + FreePort.pick());
        List<String> command = new ArrayList<>(List.of(
                distribution.java().toString(),
                "-Xmx512m",
                // Serial GC: three brokers, the test JVM and clients share 2 cores; fewer GC threads help.
                "-XX:+UseSerialGC",
                "-cp", distribution.brokerClasspath(),
                Distribution.BROKER_MAIN));
        settings.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        try {
            Files.createDirectories(outputFile.getParent());
            long start = Files.exists(outputFile) ? Files.size(outputFile) : 0;
            Files.writeString(outputFile, "===== " + name + ": " + String.join(" ", command.subList(command.indexOf(Distribution.BROKER_MAIN), command.size()))
                    + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(distribution.projectRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
            Process process = builder.start();
            ProcessReaper.register(process);
            return new BrokerProcess(name, process, outputFile, start, settings.get("metrics.listener"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " with " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The broker's metrics listener as it was started with, e.g. {@code http://127.0.0.1:41234} (serving
     * {@code /metrics}, {@code /health/live}, {@code /health/ready}), or {@code none}.
     */
    public String metricsUrl() {
        return metricsUrl;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path outputFile() {
        return outputFile;
    }

    /**
     * Waits until the broker logs its ready line ("Tributary broker &lt;id&gt; started, listening on ...").
     * Fails at once, with the output, if the process exits instead.
     */
    public void awaitStarted(int brokerId, Duration atMost) {
        String ready = "Tributary broker " + brokerId + " started, listening on";
        await("broker " + name + " to log '" + ready + "'")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (output().contains(ready)) {
                        return true;
                    }
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited with status " + process.exitValue()
                                + " before it was ready; its output:\n" + output());
                    }
                    return false;
                });
    }

    /** Waits (bounded) for the process to exit by itself and returns its exit status. */
    public int awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " was expected to exit but still runs after " + atMost
                        + "; its output:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
        }
        ProcessReaper.unregister(process);
        return process.exitValue();
    }

    /**
     * kill -9 (also of a paused process): no shutdown hook runs, nothing is flushed. Its registration stays
     * until a peer finds its listener refusing connections, or its ZooKeeper session times out.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * SIGSTOP: the JVM freezes (no thread runs, no ZooKeeper heartbeat) but its sockets stay open and the
     * kernel keeps accepting connections on its listener, as with a long GC pause or a stalled VM. Returns
     * once the process is stopped.
     */
    public void pause() {
        ProcessSignals.stop(process.pid());
        paused = true;
    }

    /** SIGCONT after {@link #pause()}; returns once the process runs again. */
    public void resume() {
        ProcessSignals.resume(process.pid());
        paused = false;
    }

    public boolean isPaused() {
        return paused && process.isAlive();
    }

    /** SIGTERM, then waits for the controlled shutdown to finish; returns the exit status. */
    public int stop(Duration atMost) {
        if (isPaused()) {
            resume(); // a stopped process would only act on SIGTERM once continued
        }
        process.destroy();
        try {
            return awaitExit(atMost);
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Everything this run has written so far (stdout and stderr interleaved). */
    public String output() {
        try {
            byte[] all = Files.readAllBytes(outputFile);
            int from = (int) Math.min(outputStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + outputFile + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of this run's output, for failure messages. */
    public String outputTail(int lines) {
        String[] all = output().split("\\R");
        int from = Math.max(0, all.length - lines);
        return String.join(System.lineSeparator(), Arrays.asList(all).subList(from, all.length));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        ProcessReaper.unregister(process);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + (!process.isAlive() ? ", exited" : isPaused() ? ", paused" : ", running") + ")";
    }
}
