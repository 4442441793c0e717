package io.tributary.systemtests.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}) on a free port of 127.0.0.1, scraping the given
 * targets every 2 s into a TSDB under the test's directory, and its instant-query API. Killed with the test
 * JVM if {@link #close} never runs.
 */
public final class PrometheusProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** One sample of an instant query's vector: {@code "value":[<time>,"<value>"]}. */
    private static final Pattern SAMPLE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final String url;
    private final Path output;

    private PrometheusProcess(Process process, String url, Path output) {
        this.process = process;
        this.url = url;
        this.output = output;
    }

    /**
     * Starts Prometheus with job {@code tributary} scraping {@code targets} ({@code host:port}, path /metrics)
     * every 2 s (with a 2 s timeout: a scrape reads every replica and group, and the test machine's two cores are
     * shared, so 1 s left no margin), and returns once it is ready. Fails saying how to install Prometheus if it is
     * missing.
     */
    public static PrometheusProcess start(Path dir, List<String> targets) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install Debian's prometheus package "
                    + "(apt-get install prometheus; .ci/run does) to run this test");
        }
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 2s
                      scrape_timeout: 2s
                    scrape_configs:
                      - job_name: tributary
                        metrics_path: /metrics
                        static_configs:
                          - targets: [%s]
                    """.formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
            int port = FreePort.pick();
            Path output = dir.resolve("prometheus.out");
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            ProcessReaper.register(process);
            PrometheusProcess prometheus = new PrometheusProcess(process, "http://127.0.0.1:" + port, output);
            try {
                prometheus.awaitReady();
            } catch (RuntimeException | Error e) {
                prometheus.close(); // nobody else holds it to stop it
                throw e;
            }
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + " in " + dir, e);
        }
    }

    private void awaitReady() {
        await("Prometheus ready on " + url).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + output());
                    }
                    return get("/-/ready").statusCode() == 200;
                });
    }

    public String url() {
        return url;
    }

    /** The value of an instant query that yields one sample (e.g. a {@code sum(...)}), or empty when it yields none. */
    public OptionalDouble query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"success\"")) {
            throw new IllegalStateException(promql + ": " + response.statusCode() + " " + response.body());
        }
        Matcher m = SAMPLE.matcher(response.body());
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** Prometheus's own log, for failure messages. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        ProcessReaper.unregister(process);
    }
}
