package io.tributary.systemtests.harness;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every child process still registered when the test JVM exits, so an aborted run (Ctrl-C, a
 * surefire timeout, an exception in a teardown) leaves no broker behind holding ports and ZooKeeper
 * sessions.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "system-tests-process-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    private static void killAll() {
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
    }
}
