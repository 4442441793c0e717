package io.tributary.systemtests.harness;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runnable broker as Maven packages it ({@code broker-node/target/broker-node.jar} plus
 * {@code target/lib/*}) and the {@code java} that runs this test JVM, so brokers run on the same JDK.
 *
 * <p>Brokers run from a private copy of the distribution, taken once per test JVM: a rebuild of
 * broker-node while the tests run (an IDE, another build on the same checkout) then cannot delete or
 * replace jars under running brokers, and every broker of a run uses the same build.
 */
public record Distribution(Path projectRoot, Path java, String brokerClasspath) {

    public static final String BROKER_MAIN = "io.tributary.broker.BrokerMain";

    private static Distribution snapshot;

    /**
     * Finds the project root from the working directory (surefire runs in {@code system-tests/}, an IDE
     * may run in the root itself) and returns this JVM's copy of its broker distribution.
     */
    public static synchronized Distribution locate() {
        if (snapshot == null) {
            Path root = findProjectRoot();
            snapshot = new Distribution(root, currentJava(), copyOf(root.resolve("broker-node/target")));
        }
        return snapshot;
    }

    private static Path findProjectRoot() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path candidate : List.of(cwd.resolve("..").normalize(), cwd)) {
            if (Files.isDirectory(candidate.resolve("broker-node")) && Files.isDirectory(candidate.resolve("system-tests"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the project root (with broker-node/ and system-tests/) from " + cwd);
    }

    private static String copyOf(Path target) {
        Path jar = target.resolve("broker-node.jar");
        Path lib = target.resolve("lib");
        // A concurrent "mvn package" of broker-node briefly removes these; wait for them rather than fail.
        await("the broker distribution " + jar + " and " + lib + " (package it: mvn -B -DskipTests install)")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Files.isRegularFile(jar) && Files.isDirectory(lib) && hasJars(lib));
        try {
            Path copy = Files.createTempDirectory("tributary-broker-dist-");
            Path copiedLib = Files.createDirectories(copy.resolve("lib"));
            Files.copy(jar, copy.resolve("broker-node.jar"), StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path p : jars.toList()) {
                    Files.copy(p, copiedLib.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(copy), "system-tests-dist-cleanup"));
            return copy.resolve("broker-node.jar") + File.pathSeparator + copiedLib + File.separator + "*";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the broker distribution from " + target
                    + " (was broker-node rebuilt meanwhile? run the tests again)", e);
        }
    }

    private static boolean hasJars(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("slf4j-api"));
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless; the JVM is exiting anyway.
        }
    }

    private static Path currentJava() {
        // The same JDK as the tests, not whatever "java" is first on PATH.
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }
}
