package io.tributary.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

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
            OptionalLong port = PidFile.number(dir.resolve("console.port"));
            if (port.isEmpty() || PidFile.livePid(dir.resolve("console.pid"), MARKER).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("http://localhost:" + port.getAsLong());
        } catch (IOException e) {
            return Optional.empty(); // no console to point to: the demo runs all the same
        }
    }
}
