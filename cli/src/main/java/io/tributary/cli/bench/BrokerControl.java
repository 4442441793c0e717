package io.tributary.cli.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a benchmark finds, faults and restarts a broker of whichever system it measures, given as
 * templates in which {id} is the broker id and {pid} its process id: a pid file (run/broker-{id}/broker.pid
 * for Tributary, the reference harness's broker-{id}.pid for Kafka), a start command, and optionally a
 * controlled-stop command (without one: SIGTERM and wait for the exit, which is what both systems'
 * scripts do).
 */
public final class BrokerControl {
    private final String pidFileTemplate;
    private final String startTemplate;
    private final String stopTemplate;

    public BrokerControl(String pidFileTemplate, String startTemplate, String stopTemplate) {
        this.pidFileTemplate = pidFileTemplate;
        this.startTemplate = startTemplate;
        this.stopTemplate = stopTemplate;
    }

    /** The live pid of broker {@code id}, or -1. */
    public long pid(int id) {
        Path file = Path.of(pidFileTemplate.replace("{id}", Integer.toString(id)));
        try {
            if (!Files.isRegularFile(file)) {
                return -1;
            }
            String text = Files.readString(file).trim();
            if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            long pid = Long.parseLong(text);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? pid : -1;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    public long requirePid(int id) {
        long pid = pid(id);
        if (pid < 0) {
            throw new IllegalStateException("broker " + id + " is not running (no live pid in "
                    + pidFileTemplate.replace("{id}", Integer.toString(id)) + ")");
        }
        return pid;
    }

    public static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    public static void signal(String signal, long pid) {
        Process p = spawn(List.of("kill", "-" + signal, Long.toString(pid)));
        waitFor(p, 10, "kill -" + signal + " " + pid);
    }

    /** Starts the controlled stop and returns at once; the process it returns ends when the broker has stopped. */
    public Process startControlledStop(int id, long pid) {
        if (stopTemplate == null || stopTemplate.isBlank()) {
            // SIGTERM, then wait until the process is gone (a shell loop, so the caller can wait on a Process).
            return spawn(List.of("bash", "-c", "kill -TERM " + pid + " && while kill -0 " + pid + " 2>/dev/null; do sleep 0.1; done"));
        }
        return spawn(List.of("bash", "-c", fill(stopTemplate, id, pid)));
    }

    /** Runs the start command and waits for it (it returns once the broker is up). */
    public void start(int id) {
        Process p = spawn(List.of("bash", "-c", fill(startTemplate, id, -1)));
        waitFor(p, 180, "start broker " + id);
    }

    static void waitFor(Process p, long timeoutS, String what) {
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + timeoutS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }

    private static String fill(String template, int id, long pid) {
        return template.replace("{id}", Integer.toString(id)).replace("{pid}", Long.toString(pid));
    }

    private static Process spawn(List<String> command) {
        try {
            // The scripts' output goes to our stderr, apart from the figures on stdout.
            return new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/dev/stderr")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }
}
