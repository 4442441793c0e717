package io.tributary.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A pid file the bin/ scripts write (run/broker-&lt;id&gt;/broker.pid, run/console/console.pid), read as bin/lib/common.sh's
 * live_pid reads it: the pid counts only while that process lives and its command line carries the script's marker
 * (-Dtributary.process=...), so a stale file never names an unrelated process that got the same pid.
 */
final class PidFile {

    private PidFile() {
    }

    /** The live pid in the file, or empty when there is no such file, no number in it, or no such process. */
    static OptionalLong livePid(Path pidFile, String marker) throws IOException {
        OptionalLong pid = number(pidFile);
        if (pid.isEmpty() || ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).isEmpty()) {
            return OptionalLong.empty();
        }
        Path cmdline = Path.of("/proc", Long.toString(pid.getAsLong()), "cmdline");
        // Without /proc (not Linux) the pid alone has to do.
        if (Files.isReadable(cmdline)
                && !new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').contains(marker)) {
            return OptionalLong.empty();
        }
        return pid;
    }

    /** The non-negative number a one-line file holds (a pid, a port), or empty. */
    static OptionalLong number(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(file).trim();
        return !text.isEmpty() && text.length() < 19 && text.chars().allMatch(Character::isDigit)
                ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    }
}
