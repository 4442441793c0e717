package io.tributary.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pid files against this test's own, real process: alive with the marker, or not counted. */
class PidFileTest {

    @Test
    void aLivePidCountsOnlyWithItsMarkerOnTheCommandLine(@TempDir Path dir) throws Exception {
        long self = ProcessHandle.current().pid();
        Path pidFile = Files.writeString(dir.resolve("x.pid"), self + "\n");
        // This JVM's command line names its main class or jar; it never carries a broker's marker.
        assertEquals(OptionalLong.empty(), PidFile.livePid(pidFile, "-Dtributary.process=broker-9 "));
        assertEquals(OptionalLong.of(self), PidFile.livePid(pidFile, ""), "alive, and an empty marker is on any command line");
    }

    @Test
    void missingGarbledOrDeadPidFilesNameNoProcess(@TempDir Path dir) throws Exception {
        assertEquals(OptionalLong.empty(), PidFile.livePid(dir.resolve("none.pid"), "x"));
        assertEquals(OptionalLong.empty(), PidFile.livePid(Files.writeString(dir.resolve("bad.pid"), "12a"), "x"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertEquals(OptionalLong.empty(), PidFile.livePid(Files.writeString(dir.resolve("dead.pid"), Long.toString(gone.pid())), ""));
        assertEquals(OptionalLong.of(8080), PidFile.number(Files.writeString(dir.resolve("console.port"), " 8080\n")));
    }
}
