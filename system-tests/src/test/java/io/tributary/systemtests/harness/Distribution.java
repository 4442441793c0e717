package io.tributary.systemtests.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runnable broker as Maven packages it ({@code broker-node/target/broker-node.jar} plus
 * {@code target/lib/*}) and the {@code java} that runs this test JVM, so brokers run on the same JDK.
 */
public record Distribution(Path projectRoot, Path java, String brokerClasspath) {

    public static final String BROKER_MAIN = "io.tributary.broker.BrokerMain";

    /**
     * Finds the project root from the working directory: surefire runs in {@code system-tests/}, an IDE
     * may run in the root itself.
     */
    public static Distribution locate() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path root = null;
        for (Path candidate : List.of(cwd.resolve(".."), cwd)) {
            Path normalized = candidate.normalize();
            if (Files.isRegularFile(normalized.resolve("broker-node/target/broker-node.jar"))) {
                root = normalized;
                break;
            }
        }
        if (root == null) {
            throw new IllegalStateException("broker-node/target/broker-node.jar not found in " + cwd.resolve("..").normalize()
                    + " or " + cwd + "; package the broker first (cd <project root> && mvn -B -DskipTests install)");
        }
        Path lib = root.resolve("broker-node/target/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " does not exist; broker-node's package phase copies the runtime "
                    + "dependencies there (mvn -B -DskipTests install)");
        }
        String classpath = root.resolve("broker-node/target/broker-node.jar") + File.pathSeparator + lib + File.separator + "*";
        return new Distribution(root, currentJava(), classpath);
    }

    private static Path currentJava() {
        // The same JDK as the tests, not whatever "java" is first on PATH.
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }
}
