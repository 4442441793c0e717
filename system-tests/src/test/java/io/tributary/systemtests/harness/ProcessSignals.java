package io.tributary.systemtests.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIGSTOP and SIGCONT for a child process, which {@link Process} cannot send: {@code kill -STOP <pid>} and
 * {@code kill -CONT <pid>}, each confirmed in {@code /proc/<pid>/stat} (state {@code T} while stopped), so a
 * caller knows the process really is frozen, or running again, when the call returns. Linux only.
 */
final class ProcessSignals {

    private static final Duration CONFIRM_WITHIN = Duration.ofSeconds(10);

    private ProcessSignals() {
    }

    /** Freezes the process: it keeps its sockets and files, the kernel keeps accepting connections for it. */
    static void stop(long pid) {
        send("-STOP", pid);
        await("process " + pid + " stopped (state T in /proc/" + pid + "/stat)").atMost(CONFIRM_WITHIN)
                .pollInterval(Duration.ofMillis(10)).until(() -> state(pid) == 'T');
    }

    /** Lets a frozen process run again. */
    static void resume(long pid) {
        send("-CONT", pid);
        await("process " + pid + " running again (state not T in /proc/" + pid + "/stat)").atMost(CONFIRM_WITHIN)
                .pollInterval(Duration.ofMillis(10)).until(() -> state(pid) != 'T');
    }

    private static void send(String signal, long pid) {
        List<String> command = List.of("kill", signal, Long.toString(pid));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(30, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with status " + kill.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** The one-letter state of the process (R, S, D, T, Z...), or 'X' when it is gone. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 'X';
        }
    }
}
