package io.tributary.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Waits before a measured run until the machine is quiet: the one-minute load average below a bound
 * and no Maven Surefire test JVM running (other engineers run test suites on the same two cores).
 */
public final class QuietMachine {
    private final double maxLoad;
    private final long maxWaitMs;

    public QuietMachine(double maxLoad, long maxWaitMs) {
        this.maxLoad = maxLoad;
        this.maxWaitMs = maxWaitMs;
    }

    /** Blocks until quiet or maxWaitMs passed; returns what the machine looked like when it went on. */
    public String await(Consumer<String> progress) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMs;
        long nextReport = 0;
        while (true) {
            double load = loadAverage();
            long surefire = surefireProcesses();
            String state = String.format("load %.2f, %d surefire JVM(s)", load, surefire);
            if (load < maxLoad && surefire == 0) {
                return state;
            }
            long now = System.currentTimeMillis();
            if (now >= deadline) {
                return state + " (NOT quiet: gave up waiting after " + maxWaitMs / 1000 + " s)";
            }
            if (now >= nextReport) {
                progress.accept("waiting for a quiet machine (load < " + maxLoad + ", no surefire): " + state);
                nextReport = now + 30_000;
            }
            Thread.sleep(2000);
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux: no way to tell, do not wait
        }
    }

    static long surefireProcesses() {
        return ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().or(() -> p.info().arguments().map(a -> String.join(" ", a))))
                .flatMap(Optional::stream)
                .filter(c -> c.contains("surefire"))
                .count();
    }
}
