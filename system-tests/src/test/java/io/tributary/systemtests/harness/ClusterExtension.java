package io.tributary.systemtests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * One {@link ClusterProcesses} per test class: started before the first test (ZooKeeper chroot named after
 * the class), every broker brought back after each test (so a test that kills brokers does not leak into
 * the next), killed after the last. A failing test's message gets every broker's output tail appended, and
 * the run's directory is kept for inspection.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension cluster = new ClusterExtension(b -> b.brokers(3));
 * }</pre>
 */
public final class ClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private final UnaryOperator<ClusterProcesses.Builder> configuration;
    private ClusterProcesses cluster;
    private Path workDir;
    private boolean failed;

    public ClusterExtension(UnaryOperator<ClusterProcesses.Builder> configuration) {
        this.configuration = configuration;
    }

    public ClusterProcesses get() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster is not started (register ClusterExtension on a static field)");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String testClass = context.getRequiredTestClass().getSimpleName();
        workDir = Files.createTempDirectory("tributary-" + testClass + "-");
        cluster = configuration.apply(ClusterProcesses.builder(workDir).chroot("/" + testClass)).build();
        try {
            cluster.startAll();
        } catch (RuntimeException | Error e) {
            throw sneaky(withDiagnostics(e));
        }
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cluster != null) {
            cluster.ensureAllRunning();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (!failed && workDir != null) {
            deleteRecursively(workDir);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDiagnostics(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDiagnostics(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDiagnostics(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withDiagnostics(throwable);
    }

    private Throwable withDiagnostics(Throwable failure) {
        failed = true;
        if (cluster == null) {
            return failure;
        }
        // Keep the failure's type and stack, and put what the brokers said right under its message.
        AssertionError withLogs = new AssertionError(failure.getMessage() + System.lineSeparator()
                + "===== broker logs (run directory kept) =====" + System.lineSeparator() + cluster.diagnostics(), failure);
        withLogs.setStackTrace(failure.getStackTrace());
        return withLogs;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
